package io.voltworkflow.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Retry policy as data: capped exponential backoff with jitter. {@code maxAttempts} counts the first attempt, so
 * {@code maxAttempts = 1} never retries. An error is retried only if it is {@link StepError#retryable()}, its code
 * is not in {@code nonRetryableCodes} and attempts remain; the delay never undercuts the engine's retry-after hint.
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialInterval,
        double backoffCoefficient,
        Duration maxInterval,
        double jitter,
        Set<String> nonRetryableCodes) {

    public static final RetryPolicy NO_RETRY = builder().maxAttempts(1).build();

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 100, was " + maxAttempts);
        }
        Objects.requireNonNull(initialInterval, "initialInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        if (initialInterval.isNegative()) {
            throw new IllegalArgumentException("initialInterval must not be negative, was " + initialInterval);
        }
        if (maxInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("maxInterval (" + maxInterval
                    + ") must not be shorter than initialInterval (" + initialInterval + ")");
        }
        if (!(backoffCoefficient >= 1.0) || backoffCoefficient > 100) {
            throw new IllegalArgumentException(
                    "backoffCoefficient must be between 1 and 100, was " + backoffCoefficient);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        nonRetryableCodes = Set.copyOf(nonRetryableCodes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxAttempts(maxAttempts)
                .initialInterval(initialInterval)
                .backoffCoefficient(backoffCoefficient)
                .maxInterval(maxInterval)
                .jitter(jitter)
                .nonRetryableCodes(nonRetryableCodes);
    }

    /** Whether a failed attempt number {@code attempt} (1-based) with this error gets another attempt. */
    public boolean shouldRetry(int attempt, StepError error) {
        return error.retryable() && !nonRetryableCodes.contains(error.code()) && attempt < maxAttempts;
    }

    /**
     * The delay before attempt {@code attempt + 1}. {@code random} in [0, 1) picks the jitter, so callers (and tests)
     * control randomness.
     */
    public Duration delayAfter(int attempt, @Nullable StepError error, double random) {
        double base = (double) initialInterval.toMillis() * Math.pow(backoffCoefficient, Math.max(0, attempt - 1));
        double capped = Math.min(base, (double) maxInterval.toMillis());
        double jittered = capped * (1.0 - jitter + 2.0 * jitter * random);
        long millis = (long) Math.min(jittered, (double) maxInterval.toMillis());
        Duration delay = Duration.ofMillis(Math.max(0, millis));
        Duration asked = error == null ? null : error.retryAfter();
        if (asked != null && asked.compareTo(delay) > 0) {
            return asked;
        }
        return delay;
    }

    public static final class Builder {
        private int maxAttempts = 4;
        private Duration initialInterval = Duration.ofSeconds(5);
        private double backoffCoefficient = 2.0;
        private Duration maxInterval = Duration.ofMinutes(5);
        private double jitter = 0.2;
        private Set<String> nonRetryableCodes = Set.of();
        private boolean maxIntervalSet;

        private Builder() {}

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Spec naming: retries after the first attempt. */
        public Builder maxRetries(int maxRetries) {
            return maxAttempts(maxRetries + 1);
        }

        public Builder initialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
            return this;
        }

        public Builder backoffCoefficient(double backoffCoefficient) {
            this.backoffCoefficient = backoffCoefficient;
            return this;
        }

        public Builder maxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
            this.maxIntervalSet = true;
            return this;
        }

        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        public Builder nonRetryableCodes(Set<String> codes) {
            this.nonRetryableCodes = codes;
            return this;
        }

        public RetryPolicy build() {
            // Only the default cap follows a longer initial interval; an explicit cap is validated as given.
            Duration max =
                    !maxIntervalSet && maxInterval.compareTo(initialInterval) < 0 ? initialInterval : maxInterval;
            return new RetryPolicy(maxAttempts, initialInterval, backoffCoefficient, max, jitter, nonRetryableCodes);
        }
    }
}
