package io.voltworkflow.core.internal;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;

public final class DefaultWorkflowOrchestrator {
  private DefaultWorkflowOrchestrator() {}

  public static WorkflowOrchestrator open(OrchestratorOptions options) {
    throw new UnsupportedOperationException("in progress");
  }
}
