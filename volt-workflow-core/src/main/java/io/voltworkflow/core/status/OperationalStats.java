package io.voltworkflow.core.status;

import io.voltworkflow.core.model.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Figures for operations monitoring, cumulative since the orchestrator opened its store (recovered workflows
 * included, so a restart does not reset them): what a Prometheus exposition needs for counters and histograms, and
 * the two gauges no status lists cheaply (budget pressure and stalled workflows).
 *
 * @param stepTypes attempt outcomes and durations by step type id
 * @param usage tokens and cost spent by every workflow the orchestrator knows
 * @param maxBudgetUsedRatio the highest share of its budget an unfinished workflow has spent (tokens or cost,
 *     whichever is higher); 0 when no unfinished workflow has a budget
 * @param longestRunningIdle the longest time a running workflow has gone without an event; zero when none runs
 * @param storeAppendFailures batches of events the store refused (each took its workflows offline)
 */
public record OperationalStats(
        Map<String, StepTypeStats> stepTypes,
        Usage usage,
        double maxBudgetUsedRatio,
        Duration longestRunningIdle,
        long storeAppendFailures) {

    /** Upper bounds of the step duration histogram, in seconds: built-in engines take milliseconds, AI calls minutes. */
    public static final List<Double> DURATION_BUCKETS_SECONDS =
            List.of(0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0);

    public OperationalStats {
        stepTypes = Map.copyOf(stepTypes);
    }

    /**
     * Attempts of one step type.
     *
     * @param durationBuckets attempts per bucket of {@link #DURATION_BUCKETS_SECONDS} (not cumulative), plus a last
     *     entry for attempts longer than the highest bound
     */
    public record StepTypeStats(long succeeded, long failed, List<Long> durationBuckets, long durationSumMs) {
        public StepTypeStats {
            durationBuckets = List.copyOf(durationBuckets);
            if (durationBuckets.size() != DURATION_BUCKETS_SECONDS.size() + 1) {
                throw new IllegalArgumentException("durationBuckets needs " + (DURATION_BUCKETS_SECONDS.size() + 1)
                        + " entries, had " + durationBuckets.size());
            }
        }

        public long attempts() {
            return succeeded + failed;
        }
    }
}
