package io.voltworkflow.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.testing.FakeEngines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by {@link EventDecodingFuzzTest}: a task-creation step with no completion step after it expands the plan with
 * no added dependencies; the store's compact codec omits the empty map, the stored event can no longer be read,
 * and opening an orchestrator on that store fails as a whole.
 */
class ExpansionRecoveryTest {
    @TempDir
    Path directory;

    @Test
    void anExpansionWithoutACompletionStepSurvivesAReopen() {
        FakeEngines fake = new FakeEngines(2, false);
        WorkflowDefinition definition = new WorkflowDefinition(
                "plan only",
                null,
                List.of(
                        StepDefinition.of("Analysis", StepType.ANALYSIS),
                        StepDefinition.of("Tasks", StepType.TASK_CREATION, "Analysis")),
                WorkflowOptions.DEFAULTS);
        WorkflowId id;
        try (WorkflowOrchestrator first = open(fake)) {
            id = first.createWorkflow(definition).workflowId();
            first.startWorkflow(id);
            assertThat(first.awaitTermination(id).join().state()).isEqualTo(WorkflowState.COMPLETED);
        }
        try (WorkflowOrchestrator reopened = open(fake)) {
            assertThat(reopened.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(reopened.events(id, 0, 100))
                    .extracting(EventRecord::type)
                    .contains(EventType.WORKFLOW_EXPANDED);
        }
    }

    private WorkflowOrchestrator open(FakeEngines fake) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new FileWorkflowStore(directory))
                .engines(fake.engines())
                .build());
    }
}
