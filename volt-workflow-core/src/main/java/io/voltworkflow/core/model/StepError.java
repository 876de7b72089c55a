package io.voltworkflow.core.model;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a step attempt failed, classified so that policy never parses messages: {@code retryable} errors may be
 * retried by the retry policy; {@code recoverable} ones leave the workflow resumable (a later resume re-runs the
 * step) while non-recoverable ones mean a resume would fail the same way. {@code retryAfter} is the engine's hint
 * (e.g. HTTP Retry-After) and overrides a shorter backoff.
 */
public record StepError(
        String code,
        String message,
        boolean retryable,
        boolean recoverable,
        @Nullable Duration retryAfter) {

    public static final String TIMEOUT = "TIMEOUT";
    public static final String NETWORK_ERROR = "NETWORK_ERROR";
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** The provider account's quota or spend limit is used up: not retryable, resumable once raised. */
    public static final String QUOTA_EXHAUSTED = "QUOTA_EXHAUSTED";

    public static final String ENGINE_UNAVAILABLE = "ENGINE_UNAVAILABLE";
    public static final String ENGINE_ERROR = "ENGINE_ERROR";
    public static final String INVALID_RESPONSE = "INVALID_RESPONSE";
    public static final String INVALID_INPUT = "INVALID_INPUT";
    public static final String INVALID_TASK_PLAN = "INVALID_TASK_PLAN";
    public static final String JOB_NOT_FOUND = "JOB_NOT_FOUND";
    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";
    public static final String DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED";
    public static final String CANCELLED = "CANCELLED";
    public static final String NO_HANDLER = "NO_HANDLER";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private static final int MAX_MESSAGE_LENGTH = 4096;

    public StepError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : truncate(message);
        if (retryAfter != null && retryAfter.isNegative()) {
            retryAfter = Duration.ZERO;
        }
    }

    /** A transient failure: retry with backoff. */
    public static StepError retryable(String code, String message) {
        return new StepError(code, message, true, true, null);
    }

    /** A transient failure with the engine's hint of when to try again. */
    public static StepError retryableAfter(String code, String message, @Nullable Duration retryAfter) {
        return new StepError(code, message, true, true, retryAfter);
    }

    /** Retrying now would fail the same way, but a later resume (after a fix) may succeed. */
    public static StepError recoverable(String code, String message) {
        return new StepError(code, message, false, true, null);
    }

    /** Permanent: neither retry nor resume can help. */
    public static StepError fatal(String code, String message) {
        return new StepError(code, message, false, false, null);
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }

    @Override
    public String toString() {
        return code + ": " + message + (retryable ? " (retryable)" : "");
    }
}
