package io.voltworkflow.core.status;

import java.util.Map;

/** System-wide figures since the orchestrator opened its store (recovered workflows included). */
public record WorkflowAnalytics(
    long totalWorkflows,
    long completedWorkflows,
    long failedWorkflows,
    long cancelledWorkflows,
    long activeWorkflows,
    long averageDurationMs,
    double stepSuccessRate,
    long retries,
    Map<String, LatencyStats> stepLatency) {

  public WorkflowAnalytics {
    stepLatency = Map.copyOf(stepLatency);
  }
}
