package io.voltworkflow.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The workflow lifecycle. The transition table is enforced: an illegal transition is an error, never a silent
 * change. {@code FAILED -> RUNNING} is the recovery path: resuming a failed workflow re-runs its failed steps.
 * {@code PAUSED -> COMPLETED / FAILED}: the steps still running when the pause came finished the workflow.
 */
public enum WorkflowState {
    CREATED,
    INITIALIZED,
    RUNNING,
    PAUSED,
    COMPLETED,
    FAILED,
    CANCELLED;

    public Set<WorkflowState> allowedNext() {
        return switch (this) {
            case CREATED -> EnumSet.of(INITIALIZED, CANCELLED);
            case INITIALIZED -> EnumSet.of(RUNNING, CANCELLED);
            case RUNNING -> EnumSet.of(PAUSED, COMPLETED, FAILED, CANCELLED);
            case PAUSED -> EnumSet.of(RUNNING, COMPLETED, FAILED, CANCELLED);
            case FAILED -> EnumSet.of(RUNNING, CANCELLED);
            case COMPLETED, CANCELLED -> EnumSet.noneOf(WorkflowState.class);
        };
    }

    public boolean canTransitionTo(WorkflowState next) {
        return allowedNext().contains(next);
    }

    /** No further transition is possible. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** The workflow is not progressing and no work is scheduled for it. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkflowState fromWireName(String name) {
        for (WorkflowState state : values()) {
            if (state.wireName().equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown workflow state '" + name + "'");
    }
}
