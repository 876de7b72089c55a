package io.voltworkflow.core;

import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.time.SystemTimeSource;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Immutable orchestrator configuration. Build with {@link #builder()}, or start from the spec's environment
 * variables with {@link #fromEnvironment(Map)}; every value is validated and a bad one is named in the error.
 */
public final class OrchestratorOptions {
    private final WorkflowStore store;
    private final Engines engines;
    private final TimeSource timeSource;
    private final int maxConcurrentSteps;
    private final Duration stepTimeout;
    private final boolean parallelExecution;
    private final RetryPolicy retryPolicy;
    private final boolean eventSystemEnabled;
    private final int eventQueueSize;
    private final int eventBatchSize;
    private final Duration eventRetention;
    private final int maxHistoryEntries;
    private final boolean snapshotsEnabled;
    private final Duration snapshotInterval;
    private final boolean metricsEnabled;
    private final boolean analyticsEnabled;
    private final boolean realTimeUpdates;
    private final Supplier<WorkflowId> idGenerator;
    private final DoubleSupplier random;
    private final String instanceId;
    private final Duration leaseTtl;

    private OrchestratorOptions(Builder b) {
        this.store = b.store != null ? b.store : new InMemoryWorkflowStore();
        this.engines = b.engines;
        this.timeSource = b.timeSource != null ? b.timeSource : new SystemTimeSource();
        this.maxConcurrentSteps = b.maxConcurrentSteps;
        this.stepTimeout = b.stepTimeout;
        this.parallelExecution = b.parallelExecution;
        this.retryPolicy = b.retryPolicy;
        this.eventSystemEnabled = b.eventSystemEnabled;
        this.eventQueueSize = b.eventQueueSize;
        this.eventBatchSize = b.eventBatchSize;
        this.eventRetention = b.eventRetention;
        this.maxHistoryEntries = b.maxHistoryEntries;
        this.snapshotsEnabled = b.snapshotsEnabled;
        this.snapshotInterval = b.snapshotInterval;
        this.metricsEnabled = b.metricsEnabled;
        this.analyticsEnabled = b.analyticsEnabled;
        this.realTimeUpdates = b.realTimeUpdates;
        this.idGenerator = b.idGenerator;
        this.random = b.random;
        this.instanceId = b.instanceId;
        this.leaseTtl = b.leaseTtl;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset from the spec's environment variables (unset ones keep their defaults). All bad values are
     * reported together.
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        EnvReader r = new EnvReader(env);
        r.integer("WORKFLOW_MAX_CONCURRENT_STEPS", 1, 100_000, b::maxConcurrentSteps);
        r.millis("WORKFLOW_STEP_TIMEOUT", b::stepTimeout);
        r.bool("WORKFLOW_ENABLE_PARALLEL_EXECUTION", b::enableParallelExecution);
        RetryPolicy.Builder retry = RetryPolicy.builder();
        r.integer("WORKFLOW_DEFAULT_MAX_RETRIES", 0, 99, retry::maxRetries);
        r.millis("WORKFLOW_RETRY_DELAY_MS", retry::initialInterval);
        r.bool("EVENT_SYSTEM_ENABLED", b::eventSystemEnabled);
        r.integer("EVENT_QUEUE_SIZE", 1, 10_000_000, b::eventQueueSize);
        r.integer("EVENT_PROCESSING_BATCH_SIZE", 1, 100_000, b::eventBatchSize);
        r.integer("EVENT_RETENTION_DAYS", 1, 36_500, days -> b.eventRetention(Duration.ofDays(days)));
        r.integer("STATE_MANAGER_MAX_HISTORY_ENTRIES", 1, 1_000_000, b::maxHistoryEntries);
        r.bool("STATE_MANAGER_ENABLE_SNAPSHOTS", b::snapshotsEnabled);
        r.integer("STATE_MANAGER_SNAPSHOT_INTERVAL", 1, 31_536_000, s -> b.snapshotInterval(Duration.ofSeconds(s)));
        r.bool("WORKFLOW_METRICS_ENABLED", b::metricsEnabled);
        r.bool("WORKFLOW_ANALYTICS_ENABLED", b::analyticsEnabled);
        r.bool("WORKFLOW_REAL_TIME_UPDATES", b::realTimeUpdates);
        r.failIfAnyProblem();
        try {
            b.retryPolicy(retry.build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "WORKFLOW_DEFAULT_MAX_RETRIES / WORKFLOW_RETRY_DELAY_MS: " + e.getMessage(), e);
        }
        return b;
    }

    public WorkflowStore store() {
        return store;
    }

    public Engines engines() {
        return engines;
    }

    public TimeSource timeSource() {
        return timeSource;
    }

    public int maxConcurrentSteps() {
        return maxConcurrentSteps;
    }

    public Duration stepTimeout() {
        return stepTimeout;
    }

    /** When false, each workflow runs one step at a time (others still run side by side). */
    public boolean parallelExecution() {
        return parallelExecution;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public boolean eventSystemEnabled() {
        return eventSystemEnabled;
    }

    public int eventQueueSize() {
        return eventQueueSize;
    }

    public int eventBatchSize() {
        return eventBatchSize;
    }

    public Duration eventRetention() {
        return eventRetention;
    }

    public int maxHistoryEntries() {
        return maxHistoryEntries;
    }

    public boolean snapshotsEnabled() {
        return snapshotsEnabled;
    }

    public Duration snapshotInterval() {
        return snapshotInterval;
    }

    public boolean metricsEnabled() {
        return metricsEnabled;
    }

    public boolean analyticsEnabled() {
        return analyticsEnabled;
    }

    /** When false, progress events (workflow_progress, step_progress) are neither stored nor published. */
    public boolean realTimeUpdates() {
        return realTimeUpdates;
    }

    public Supplier<WorkflowId> idGenerator() {
        return idGenerator;
    }

    public DoubleSupplier random() {
        return random;
    }

    public String instanceId() {
        return instanceId;
    }

    public Duration leaseTtl() {
        return leaseTtl;
    }

    public static final class Builder {
        private @Nullable WorkflowStore store;
        private Engines engines = Engines.builder().build();
        private @Nullable TimeSource timeSource;
        private int maxConcurrentSteps = 10;
        private Duration stepTimeout = Duration.ofMinutes(5);
        private boolean parallelExecution = true;
        private RetryPolicy retryPolicy = RetryPolicy.builder()
                .maxRetries(3)
                .initialInterval(Duration.ofSeconds(5))
                .build();
        private boolean eventSystemEnabled = true;
        private int eventQueueSize = 1000;
        private int eventBatchSize = 10;
        private Duration eventRetention = Duration.ofDays(30);
        private int maxHistoryEntries = 1000;
        private boolean snapshotsEnabled = true;
        private Duration snapshotInterval = Duration.ofHours(1);
        private boolean metricsEnabled = true;
        private boolean analyticsEnabled = true;
        private boolean realTimeUpdates = true;
        private Supplier<WorkflowId> idGenerator = Builder::randomId;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private String instanceId =
                "volt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        private Duration leaseTtl = Duration.ofSeconds(30);

        private Builder() {}

        private static WorkflowId randomId() {
            return new WorkflowId("wf-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        }

        public Builder store(WorkflowStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder engines(Engines engines) {
            this.engines = Objects.requireNonNull(engines, "engines");
            return this;
        }

        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        public Builder maxConcurrentSteps(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConcurrentSteps must be at least 1, was " + value);
            }
            this.maxConcurrentSteps = value;
            return this;
        }

        public Builder stepTimeout(Duration value) {
            this.stepTimeout = positive("stepTimeout", value);
            return this;
        }

        public Builder enableParallelExecution(boolean value) {
            this.parallelExecution = value;
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        public Builder eventSystemEnabled(boolean value) {
            this.eventSystemEnabled = value;
            return this;
        }

        public Builder eventQueueSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("eventQueueSize must be at least 1, was " + value);
            }
            this.eventQueueSize = value;
            return this;
        }

        public Builder eventBatchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("eventBatchSize must be at least 1, was " + value);
            }
            this.eventBatchSize = value;
            return this;
        }

        public Builder eventRetention(Duration value) {
            this.eventRetention = positive("eventRetention", value);
            return this;
        }

        public Builder maxHistoryEntries(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxHistoryEntries must be at least 1, was " + value);
            }
            this.maxHistoryEntries = value;
            return this;
        }

        public Builder snapshotsEnabled(boolean value) {
            this.snapshotsEnabled = value;
            return this;
        }

        public Builder snapshotInterval(Duration value) {
            this.snapshotInterval = positive("snapshotInterval", value);
            return this;
        }

        public Builder metricsEnabled(boolean value) {
            this.metricsEnabled = value;
            return this;
        }

        public Builder analyticsEnabled(boolean value) {
            this.analyticsEnabled = value;
            return this;
        }

        public Builder realTimeUpdates(boolean value) {
            this.realTimeUpdates = value;
            return this;
        }

        public Builder idGenerator(Supplier<WorkflowId> value) {
            this.idGenerator = Objects.requireNonNull(value, "idGenerator");
            return this;
        }

        /** Source of jitter in [0, 1); tests make it fixed. */
        public Builder random(DoubleSupplier value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** Names this instance in leases when several share one store. */
        public Builder instanceId(String value) {
            this.instanceId = Objects.requireNonNull(value, "instanceId");
            return this;
        }

        public Builder leaseTtl(Duration value) {
            this.leaseTtl = positive("leaseTtl", value);
            return this;
        }

        public OrchestratorOptions build() {
            return new OrchestratorOptions(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }

    /** Reads environment values, collecting every problem before failing. */
    private static final class EnvReader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        EnvReader(Map<String, String> env) {
            this.env = env;
        }

        void integer(String name, long min, long max, java.util.function.IntConsumer target) {
            String raw = value(name);
            if (raw == null) {
                return;
            }
            try {
                long parsed = Long.parseLong(raw);
                if (parsed < min || parsed > max) {
                    problems.add(name + "='" + raw + "' must be between " + min + " and " + max);
                } else {
                    target.accept((int) parsed);
                }
            } catch (NumberFormatException e) {
                problems.add(name + "='" + raw + "' is not a whole number");
            }
        }

        void millis(String name, java.util.function.Consumer<Duration> target) {
            String raw = value(name);
            if (raw == null) {
                return;
            }
            try {
                long parsed = Long.parseLong(raw);
                if (parsed <= 0) {
                    problems.add(name + "='" + raw + "' must be a positive number of milliseconds");
                } else {
                    target.accept(Duration.ofMillis(parsed));
                }
            } catch (NumberFormatException e) {
                problems.add(name + "='" + raw + "' is not a whole number of milliseconds");
            }
        }

        void bool(String name, java.util.function.Consumer<Boolean> target) {
            String raw = value(name);
            if (raw == null) {
                return;
            }
            switch (raw.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes" -> target.accept(true);
                case "false", "0", "no" -> target.accept(false);
                default -> problems.add(name + "='" + raw + "' must be true or false");
            }
        }

        void failIfAnyProblem() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
            }
        }

        private @Nullable String value(String name) {
            String raw = env.get(name);
            return raw == null || raw.isBlank() ? null : raw.trim();
        }
    }
}
