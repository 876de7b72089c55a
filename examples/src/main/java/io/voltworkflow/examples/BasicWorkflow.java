package io.voltworkflow.examples;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.status.WorkflowAnalytics;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.VoltWorkflow;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The spec's quick start: create an orchestrator, create and start a workflow, follow its progress. */
public final class BasicWorkflow {
    private BasicWorkflow() {}

    public static void main(String[] args) throws Exception {
        WorkflowStatus status = run();
        System.out.println("Finished: " + status.state().wireName() + ", result " + status.result());
    }

    static WorkflowStatus run() throws Exception {
        OrchestratorOptions options = OrchestratorOptions.builder()
                .engines(ExampleEngines.create())
                .maxConcurrentSteps(10)
                .stepTimeout(Duration.ofMinutes(5))
                .enableParallelExecution(true)
                .build();
        try (WorkflowOrchestrator orchestrator = VoltWorkflow.createWorkflowOrchestrator(options)) {
            orchestrator.on(EventType.WORKFLOW_PROGRESS, event -> {
                WorkflowEvent.WorkflowProgress progress = (WorkflowEvent.WorkflowProgress) event.event();
                System.out.println("Progress: " + progress.percent() + "% - " + progress.message());
            });
            orchestrator.on(
                    EventType.WORKFLOW_COMPLETED, event -> System.out.println("Workflow completed successfully!"));

            WorkflowStatus workflow = orchestrator.createWorkflow(
                    "Implement user authentication with JWT tokens, a login endpoint and password hashing",
                    Map.of("framework", "Javalin", "database", "PostgreSQL", "testing", "JUnit"),
                    WorkflowOptions.DEFAULTS);
            orchestrator.startWorkflow(workflow.workflowId());
            WorkflowStatus done =
                    orchestrator.awaitTermination(workflow.workflowId()).get(1, TimeUnit.MINUTES);

            WorkflowAnalytics analytics = orchestrator.getWorkflowAnalytics();
            System.out.println("System analytics: total " + analytics.totalWorkflows() + ", completed "
                    + analytics.completedWorkflows() + ", average " + analytics.averageDurationMs()
                    + " ms, step success "
                    + analytics.stepSuccessRate());
            return done;
        }
    }
}
