package io.voltworkflow.core.event;

import java.util.Locale;

/** Event type names as they appear on the wire ({@code workflow_completed}). */
public enum EventType {
    WORKFLOW_CREATED,
    WORKFLOW_INITIALIZED,
    WORKFLOW_STARTED,
    WORKFLOW_PROGRESS,
    WORKFLOW_PAUSED,
    WORKFLOW_RESUMED,
    WORKFLOW_COMPLETED,
    WORKFLOW_FAILED,
    WORKFLOW_CANCELLED,
    WORKFLOW_EXPANDED,
    HISTORY_LOST,
    STEP_STARTED,
    STEP_PROGRESS,
    STEP_CHECKPOINTED,
    STEP_COMPLETED,
    STEP_FAILED,
    STEP_RETRYING,
    STEP_CANCELLED,
    REPAIR_ROUND_STARTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventType fromWireName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown event type '" + name + "'", e);
        }
    }
}
