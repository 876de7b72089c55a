package io.voltworkflow.core.internal;

import io.voltworkflow.core.status.LatencyStats;
import io.voltworkflow.core.status.OperationalStats;
import io.voltworkflow.core.status.WorkflowAnalytics;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attempt outcomes and per-step-type latency samples, fed by the same events that drive state. Latencies keep
 * the most recent {@link #WINDOW} attempts per type (a ring), so memory stays bounded on long-lived servers; the
 * per-type counters and duration histogram count every attempt, for monitoring systems that compute rates.
 * Thread-safe: fed from every workflow's critical section.
 */
final class Analytics {
    static final int WINDOW = 4096;

    private long successfulAttempts;
    private long unsuccessfulAttempts;
    private final Map<String, Ring> latencies = new HashMap<>();
    private final Map<String, TypeCounters> counters = new HashMap<>();

    synchronized void attemptFinished(String stepType, boolean success, long durationMs) {
        if (success) {
            successfulAttempts++;
        } else {
            unsuccessfulAttempts++;
        }
        latencies.computeIfAbsent(stepType, t -> new Ring()).add(durationMs);
        counters.computeIfAbsent(stepType, t -> new TypeCounters()).add(success, durationMs);
    }

    synchronized Map<String, OperationalStats.StepTypeStats> stepTypes() {
        Map<String, OperationalStats.StepTypeStats> stats = new TreeMap<>();
        counters.forEach((type, c) -> stats.put(type, c.stats()));
        return stats;
    }

    /** Workflow counts come from the workflows themselves, so snapshots and replays agree with live runs. */
    synchronized WorkflowAnalytics snapshot(WorkflowCounts counts) {
        Map<String, LatencyStats> stats = new TreeMap<>();
        latencies.forEach((type, ring) -> stats.put(type, ring.stats()));
        long finishedAttempts = successfulAttempts + unsuccessfulAttempts;
        return new WorkflowAnalytics(
                counts.total(),
                counts.completed(),
                counts.failed(),
                counts.cancelled(),
                counts.active(),
                counts.finishedWithDuration() == 0 ? 0 : counts.totalDurationMs() / counts.finishedWithDuration(),
                finishedAttempts == 0 ? 1.0 : (double) successfulAttempts / finishedAttempts,
                counts.retries(),
                counts.repair(),
                stats);
    }

    record WorkflowCounts(
            long total,
            long completed,
            long failed,
            long cancelled,
            long active,
            long totalDurationMs,
            long finishedWithDuration,
            long retries,
            io.voltworkflow.core.status.RepairStats repair) {}

    private static final class TypeCounters {
        private static final long[] BOUNDS_MS = OperationalStats.DURATION_BUCKETS_SECONDS.stream()
                .mapToLong(seconds -> Math.round(seconds * 1000))
                .toArray();

        private long succeeded;
        private long failed;
        private final long[] buckets = new long[BOUNDS_MS.length + 1];
        private long sumMs;

        void add(boolean success, long durationMs) {
            if (success) {
                succeeded++;
            } else {
                failed++;
            }
            int bucket = 0;
            while (bucket < BOUNDS_MS.length && durationMs > BOUNDS_MS[bucket]) {
                bucket++;
            }
            buckets[bucket]++;
            sumMs += durationMs;
        }

        OperationalStats.StepTypeStats stats() {
            return new OperationalStats.StepTypeStats(
                    succeeded, failed, Arrays.stream(buckets).boxed().toList(), sumMs);
        }
    }

    private static final class Ring {
        private final long[] values = new long[WINDOW];
        private long count;

        void add(long value) {
            values[(int) (count % WINDOW)] = value;
            count++;
        }

        LatencyStats stats() {
            int size = (int) Math.min(count, WINDOW);
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return new LatencyStats(
                    count,
                    percentile(sorted, 0.50),
                    percentile(sorted, 0.90),
                    percentile(sorted, 0.99),
                    size == 0 ? 0 : sorted[size - 1]);
        }

        private static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
