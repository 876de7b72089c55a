package io.voltworkflow.core;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;

/** A lifecycle call that the workflow's current state does not allow; nothing changed. */
public final class IllegalTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient WorkflowState from;
    private final transient WorkflowState to;

    public IllegalTransitionException(WorkflowId id, WorkflowState from, WorkflowState to, String action) {
        super("cannot " + action + " workflow '" + id + "': it is " + from.wireName() + " (allowed next: "
                + from.allowedNext().stream().map(WorkflowState::wireName).toList() + ")");
        this.from = from;
        this.to = to;
    }

    public WorkflowState from() {
        return from;
    }

    public WorkflowState to() {
        return to;
    }
}
