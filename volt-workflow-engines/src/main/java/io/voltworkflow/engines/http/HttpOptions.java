package io.voltworkflow.engines.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one engine's HTTP calls. {@code callTimeout} bounds a whole call including the body; {@code readTimeout}
 * bounds silence between bytes, so a stalled body fails fast even when the call deadline is far.
 */
public record HttpOptions(Duration connectTimeout, Duration readTimeout, Duration callTimeout, long maxResponseBytes) {
    public static final HttpOptions DEFAULTS = builder().build();

    public HttpOptions {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(callTimeout, "callTimeout");
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1, was " + maxResponseBytes);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofMinutes(2);
        private Duration callTimeout = Duration.ofMinutes(10);
        private long maxResponseBytes = 8L * 1024 * 1024;

        private Builder() {}

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        public Builder maxResponseBytes(long maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        public HttpOptions build() {
            return new HttpOptions(connectTimeout, readTimeout, callTimeout, maxResponseBytes);
        }
    }
}
