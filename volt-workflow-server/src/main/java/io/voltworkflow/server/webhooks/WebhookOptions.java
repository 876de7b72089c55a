package io.voltworkflow.server.webhooks;

import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.time.SystemTimeSource;
import io.voltworkflow.core.time.TimeSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How webhooks behave. {@code retry}: attempts per delivery (the last failure makes it dead) and the capped
 * exponential backoff with jitter between them; {@code targets}: which addresses deliveries may reach;
 * {@code workflowPageBase}: the web UI's address, for links to a workflow's page (none when absent);
 * {@code subscriptions}: those of the configuration file. {@code timeSource} and {@code random} let tests drive retries.
 */
public final class WebhookOptions {
    /** 8 attempts over about 40 minutes: 10 s, 30 s, 90 s, then up to 15 min apart, each ±20 %. */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.builder()
            .maxAttempts(8)
            .initialInterval(Duration.ofSeconds(10))
            .backoffCoefficient(3)
            .maxInterval(Duration.ofMinutes(15))
            .jitter(0.2)
            .build();

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final RetryPolicy retry;
    private final WebhookTargets targets;
    private final Optional<URI> workflowPageBase;
    private final List<WebhookSubscription> subscriptions;
    private final Duration requestTimeout;
    private final TimeSource timeSource;
    private final DoubleSupplier random;

    private WebhookOptions(Builder b) {
        this.retry = b.retry;
        this.targets = b.targets;
        this.workflowPageBase = Optional.ofNullable(b.workflowPageBase);
        this.subscriptions = List.copyOf(b.subscriptions);
        this.requestTimeout = b.requestTimeout;
        this.timeSource = b.timeSource;
        this.random = b.random;
    }

    public static Builder builder() {
        return new Builder();
    }

    public RetryPolicy retry() {
        return retry;
    }

    public WebhookTargets targets() {
        return targets;
    }

    public Optional<URI> workflowPageBase() {
        return workflowPageBase;
    }

    public List<WebhookSubscription> subscriptions() {
        return subscriptions;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public TimeSource timeSource() {
        return timeSource;
    }

    public DoubleSupplier random() {
        return random;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.retry = retry;
        b.targets = targets;
        b.workflowPageBase = workflowPageBase.orElse(null);
        b.subscriptions = new ArrayList<>(subscriptions);
        b.requestTimeout = requestTimeout;
        b.timeSource = timeSource;
        b.random = random;
        return b;
    }

    public static final class Builder {
        private RetryPolicy retry = DEFAULT_RETRY;
        private WebhookTargets targets = WebhookTargets.PUBLIC_ONLY;
        private @Nullable URI workflowPageBase;
        private List<WebhookSubscription> subscriptions = new ArrayList<>();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private TimeSource timeSource = new SystemTimeSource();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {}

        public Builder retry(RetryPolicy value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        public Builder targets(WebhookTargets value) {
            this.targets = Objects.requireNonNull(value, "targets");
            return this;
        }

        /** The web UI's base address ({@code https://volt.example.com}); links become {@code <base>/#/workflows/<id>}. */
        public Builder workflowPageBase(@Nullable URI value) {
            if (value != null
                    && (value.getScheme() == null || !value.getScheme().matches("https?"))) {
                throw new IllegalArgumentException(
                        "webhooks workflowPageBase must be an http(s) URL, was '" + value + "'");
            }
            this.workflowPageBase = value;
            return this;
        }

        public Builder subscriptions(List<WebhookSubscription> value) {
            this.subscriptions = new ArrayList<>(value);
            return this;
        }

        public Builder requestTimeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("webhooks requestTimeout must be positive, was " + value);
            }
            this.requestTimeout = value;
            return this;
        }

        public Builder timeSource(TimeSource value) {
            this.timeSource = Objects.requireNonNull(value, "timeSource");
            return this;
        }

        public Builder random(DoubleSupplier value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        public WebhookOptions build() {
            Set<String> ids = new HashSet<>();
            for (WebhookSubscription subscription : subscriptions) {
                if (!ids.add(subscription.id())) {
                    throw new IllegalArgumentException("webhook id '" + subscription.id() + "' is defined twice");
                }
                targets.check(subscription.url().toString());
            }
            return new WebhookOptions(this);
        }
    }
}
