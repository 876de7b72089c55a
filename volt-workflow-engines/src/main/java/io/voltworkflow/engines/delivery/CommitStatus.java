package io.voltworkflow.engines.delivery;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A check result on a commit: {@code context} names the check (the same on every update, so the forge replaces
 * it), {@code targetUrl} links to details (may be null).
 */
public record CommitStatus(
        State state,
        String context,
        String description,
        @Nullable String targetUrl) {
    /** Forges cut longer status descriptions (GitHub at 140 characters). */
    public static final int MAX_DESCRIPTION = 140;

    /** Where the check is: running (the tip is being validated), passed or failed. */
    public enum State {
        PENDING,
        SUCCESS,
        FAILURE
    }

    public CommitStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(context, "context");
        description = description == null
                ? ""
                : description.length() <= MAX_DESCRIPTION
                        ? description
                        : description.substring(0, MAX_DESCRIPTION - 1) + "…";
    }

    public boolean passed() {
        return state == State.SUCCESS;
    }
}
