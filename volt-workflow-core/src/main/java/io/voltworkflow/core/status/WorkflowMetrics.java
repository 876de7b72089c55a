package io.voltworkflow.core.status;

import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import java.util.Map;

/** Live figures of one workflow, for monitors and dashboards; {@code repair}: its tasks' validation and repair. */
public record WorkflowMetrics(
        WorkflowId workflowId,
        WorkflowState state,
        double percent,
        long elapsedMs,
        int completedSteps,
        int runningSteps,
        int failedSteps,
        int totalSteps,
        long retries,
        RepairStats repair,
        long events,
        Map<String, Long> stepDurationsMs,
        Usage usage) {

    public WorkflowMetrics {
        stepDurationsMs = Map.copyOf(stepDurationsMs);
    }
}
