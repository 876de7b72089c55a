package io.voltworkflow.examples;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.status.WorkflowMetrics;
import io.voltworkflow.server.VoltAgentWorkflowIntegration;
import io.voltworkflow.server.VoltAgentWorkflowIntegration.StartedWorkflow;
import io.voltworkflow.server.VoltAgentWorkflowIntegration.StatusWithUpdates;
import io.voltworkflow.server.WorkflowMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The spec's complete integration and real-time monitoring: start several workflows with monitoring, follow one with
 * status updates, then print a small dashboard of their metrics.
 */
public final class MonitoringDashboard {
    private MonitoringDashboard() {}

    public static void main(String[] args) throws Exception {
        run().forEach(m -> System.out.println(m.workflowId() + " " + m.state().wireName()));
    }

    static List<WorkflowMetrics> run() throws Exception {
        OrchestratorOptions options =
                OrchestratorOptions.builder().engines(ExampleEngines.create()).build();
        try (VoltAgentWorkflowIntegration integration = VoltAgentWorkflowIntegration.open(options)) {
            List<StartedWorkflow> started = new ArrayList<>();
            for (String requirement : List.of(
                    "Build a REST API for user management",
                    "Add audit logging, rate limiting and an admin dashboard",
                    "Migrate the build to Java 17")) {
                started.add(integration.createAndStartWorkflow(requirement, Map.of("language", "Java")));
            }

            WorkflowId first = started.get(0).workflowId();
            StatusWithUpdates watched = integration.getWorkflowStatusWithUpdates(
                    first,
                    update -> System.out.println("Status update: #" + update.sequence() + " "
                            + update.type().wireName()));
            System.out.println("Current state of " + first + ": "
                    + watched.status().state().wireName());

            WorkflowMonitor monitor = integration.monitor();
            List<WorkflowMetrics> dashboard = new ArrayList<>();
            System.out.printf("%-22s %-10s %8s %6s %8s%n", "WORKFLOW", "STATE", "PERCENT", "STEPS", "ELAPSED");
            for (StartedWorkflow workflow : started) {
                integration
                        .orchestrator()
                        .awaitTermination(workflow.workflowId())
                        .get(1, TimeUnit.MINUTES);
                WorkflowMetrics metrics = monitor.getWorkflowMetrics(workflow.workflowId());
                dashboard.add(metrics);
                System.out.printf(
                        "%-22s %-10s %7.1f%% %6d %6d ms%n",
                        metrics.workflowId(),
                        metrics.state().wireName(),
                        metrics.percent(),
                        metrics.totalSteps(),
                        metrics.elapsedMs());
                workflow.stopMonitoring().stop();
            }
            watched.unsubscribe().stop();
            return dashboard;
        }
    }
}
