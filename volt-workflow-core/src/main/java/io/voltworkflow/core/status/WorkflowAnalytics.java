package io.voltworkflow.core.status;

import java.util.Map;

/**
 * System-wide figures since the orchestrator opened its store (recovered workflows included); {@code repair} counts
 * the tasks of every workflow this process holds.
 */
public record WorkflowAnalytics(
        long totalWorkflows,
        long completedWorkflows,
        long failedWorkflows,
        long cancelledWorkflows,
        long activeWorkflows,
        long averageDurationMs,
        double stepSuccessRate,
        long retries,
        RepairStats repair,
        Map<String, LatencyStats> stepLatency) {

    public WorkflowAnalytics {
        stepLatency = Map.copyOf(stepLatency);
    }
}
