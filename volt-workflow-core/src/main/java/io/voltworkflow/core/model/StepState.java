package io.voltworkflow.core.model;

import java.util.Locale;

/** Where one step is in its life. {@code RETRY_WAIT}: an attempt failed and the next waits for its backoff. */
public enum StepState {
    PENDING,
    RUNNING,
    RETRY_WAIT,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isDone() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepState fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
