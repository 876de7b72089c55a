package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.model.WorkflowState;
import java.util.Optional;

/** The workflow state an event leaves behind, for the summary row the store keeps next to the log. */
final class Lifecycle {
    private Lifecycle() {}

    static Optional<WorkflowState> stateAfter(EventType type) {
        return Optional.ofNullable(
                switch (type) {
                    case WORKFLOW_CREATED -> WorkflowState.CREATED;
                    case WORKFLOW_INITIALIZED -> WorkflowState.INITIALIZED;
                    case WORKFLOW_STARTED, WORKFLOW_RESUMED -> WorkflowState.RUNNING;
                    case WORKFLOW_PAUSED -> WorkflowState.PAUSED;
                    case WORKFLOW_COMPLETED -> WorkflowState.COMPLETED;
                    case WORKFLOW_FAILED -> WorkflowState.FAILED;
                    case WORKFLOW_CANCELLED -> WorkflowState.CANCELLED;
                    case WORKFLOW_PROGRESS,
                            WORKFLOW_EXPANDED,
                            STEP_STARTED,
                            STEP_PROGRESS,
                            STEP_CHECKPOINTED,
                            STEP_COMPLETED,
                            STEP_FAILED,
                            STEP_RETRYING,
                            STEP_CANCELLED,
                            REPAIR_ROUND_STARTED,
                            HISTORY_LOST -> null;
                });
    }
}
