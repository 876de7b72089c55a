package io.voltworkflow.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.Redactor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Classifies failed HTTP calls, the same way for every provider: 408, 409, 429, 5xx and 529 and I/O errors are
 * retryable, with the provider's Retry-After or rate-limit reset as the hint; a 429 that means the account's quota
 * or spend limit is used up, and every other 4xx, is not, because retrying would fail the same way. The provider's
 * {@code x-should-retry} header, when present, overrides the status.
 */
public final class HttpFailures {
    /** The provider account's quota or spend limit is used up: not retryable, resumable once it is raised. */
    private static final Set<String> QUOTA_CODES = Set.of(
            "insufficient_quota",
            "credit_balance_exhausted",
            "enforced_spend_limit_reached",
            "billing_hard_limit_reached");

    private static final int MAX_DETAIL = 300;

    private HttpFailures() {}

    /** The error for a non-2xx reply; {@code body} is the (possibly truncated) response text. */
    public static StepError forStatus(
            String engine,
            int status,
            Headers headers,
            String body,
            @Nullable String requestId,
            Instant now,
            Redactor redactor) {
        Optional<JsonNode> json = Json.tryParse(body);
        String detail = redactor.excerpt(json.map(HttpFailures::providerMessage).orElse(body), MAX_DETAIL);
        String message = engine + " returned HTTP " + status + (detail.isEmpty() ? "" : ": " + detail)
                + (requestId == null ? "" : " (request id " + requestId + ")");
        if (status == 429 && json.map(HttpFailures::isQuotaExhausted).orElse(false)) {
            return StepError.recoverable(
                    StepError.QUOTA_EXHAUSTED, message + "; the provider account's quota or spend limit is used up");
        }
        if (status == 403 && isRateLimit(headers)) {
            // GitHub answers 403, not 429, when a primary or secondary rate limit is hit.
            return StepError.retryableAfter(
                    StepError.RATE_LIMITED,
                    message,
                    RetryHints.retryAfter(headers, now).orElse(null));
        }
        String shouldRetry = headers.get("x-should-retry");
        boolean retryable =
                shouldRetry != null ? shouldRetry.strip().equalsIgnoreCase("true") : isRetryableStatus(status);
        if (!retryable) {
            return StepError.recoverable(nonRetryableCode(status), message);
        }
        Duration retryAfter = RetryHints.retryAfter(headers, now).orElse(null);
        return StepError.retryableAfter(retryableCode(status), message, retryAfter);
    }

    /**
     * The error for an error event inside a stream that began with HTTP 200: classified as the HTTP {@code status} the
     * provider would have answered with before streaming began (its own mapping of the error's type), so a stream that
     * breaks off is retried exactly when the same error as a reply would be.
     */
    public static StepError forStreamError(String engine, int status, String eventData) {
        Optional<JsonNode> json = Json.tryParse(eventData);
        String detail =
                Redactor.NONE.excerpt(json.map(HttpFailures::providerMessage).orElse(eventData), MAX_DETAIL);
        String message = engine + " sent an error while streaming its answer" + (detail.isEmpty() ? "" : ": " + detail);
        if (status == 429 && json.map(HttpFailures::isQuotaExhausted).orElse(false)) {
            return StepError.recoverable(
                    StepError.QUOTA_EXHAUSTED, message + "; the provider account's quota or spend limit is used up");
        }
        return isRetryableStatus(status)
                ? StepError.retryable(retryableCode(status), message)
                : StepError.recoverable(nonRetryableCode(status), message);
    }

    /** The error for a call that produced no HTTP reply. */
    public static StepError forIoFailure(
            String engine, IOException failure, boolean cancelled, @Nullable String cancelReason) {
        if (cancelled) {
            return StepError.recoverable(
                    StepError.CANCELLED,
                    "call to " + engine + " cancelled" + (cancelReason == null ? "" : ": " + cancelReason));
        }
        if (failure instanceof SocketTimeoutException || failure instanceof InterruptedIOException) {
            return StepError.retryable(
                    StepError.TIMEOUT, "call to " + engine + " timed out (" + failure.getMessage() + ")");
        }
        return StepError.retryable(
                StepError.NETWORK_ERROR,
                "call to " + engine + " failed: " + failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")"));
    }

    static boolean isRetryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    private static String retryableCode(int status) {
        return switch (status) {
            case 408 -> StepError.TIMEOUT;
            case 429 -> StepError.RATE_LIMITED;
            case 409, 500 -> StepError.ENGINE_ERROR;
            default -> StepError.ENGINE_UNAVAILABLE;
        };
    }

    private static String nonRetryableCode(int status) {
        return status == 400 || status == 413 || status == 422 ? StepError.INVALID_INPUT : StepError.ENGINE_ERROR;
    }

    private static boolean isRateLimit(Headers headers) {
        String remaining = headers.get("x-ratelimit-remaining");
        return headers.get("retry-after") != null
                || (remaining != null && remaining.strip().equals("0"));
    }

    /**
     * OpenAI and Anthropic: {@code error.message}; FastAPI servers (vLLM): {@code detail}; others: {@code message}, with
     * the messages of an {@code errors} list (GitHub's validation errors, Bitbucket Data Center) after it.
     */
    private static String providerMessage(JsonNode body) {
        String message = topMessage(body);
        List<String> details = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            if (error.hasNonNull("message")) {
                details.add(error.get("message").asText());
            }
        }
        return details.isEmpty() ? message : (message.isEmpty() ? "" : message + ": ") + String.join("; ", details);
    }

    private static String topMessage(JsonNode body) {
        JsonNode error = body.get("error");
        if (error != null && error.isObject() && error.hasNonNull("message")) {
            return error.get("message").asText();
        }
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        for (String field : new String[] {"message", "detail"}) {
            if (body.hasNonNull(field)) {
                return body.get(field).isTextual()
                        ? body.get(field).asText()
                        : body.get(field).toString();
            }
        }
        return "";
    }

    private static boolean isQuotaExhausted(JsonNode body) {
        for (String field : new String[] {"code", "type", "error_code"}) {
            for (JsonNode value : body.findValues(field)) {
                if (QUOTA_CODES.contains(value.asText())) {
                    return true;
                }
            }
        }
        return false;
    }
}
