package io.voltworkflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.model.WorkflowState;
import org.junit.jupiter.api.Test;

/** Every example runs to its documented outcome. */
class ExamplesTest {
    @Test
    void basicWorkflowCompletes() throws Exception {
        assertThat(BasicWorkflow.run().state()).isEqualTo(WorkflowState.COMPLETED);
    }

    @Test
    void cicdPipelineCompletesOverHttpAndWebSocket() throws Exception {
        assertThat(CicdPipeline.run().path("state").asText()).isEqualTo("completed");
    }

    @Test
    void monitoringDashboardShowsEveryWorkflowCompleted() throws Exception {
        assertThat(MonitoringDashboard.run())
                .hasSize(3)
                .allSatisfy(metrics -> assertThat(metrics.state()).isEqualTo(WorkflowState.COMPLETED));
    }

    @Test
    void errorRecoveryRetriesThenResumesTheFailedWorkflow() throws Exception {
        var recovered = ErrorRecovery.run();
        assertThat(recovered.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(recovered.history()).extracting(t -> t.to()).contains(WorkflowState.FAILED, WorkflowState.RUNNING);
    }
}
