package io.voltworkflow.bench.dag;

import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Measures a makespan in virtual time. Both runners react on the thread that fires a timer (the orchestrator runs
 * its deferred work and the handlers on the caller's thread; the baseline uses a direct executor), so when
 * {@link VirtualTimeSource#advance} returns, every reaction to that instant has happened and time can move to the
 * next timer. The result is exact and free of host noise: it measures dispatch decisions only.
 */
public final class VirtualMakespan {
    /** A run waiting this long with nothing else due has stalled (only maintenance timers are left). */
    private static final Duration STALL = Duration.ofMinutes(1);

    private VirtualMakespan() {}

    public static Duration measure(VirtualTimeSource time, Supplier<CompletableFuture<?>> start) {
        Instant started = time.now();
        CompletableFuture<?> run = start.get();
        while (!run.isDone()) {
            Duration next = time.untilNextTask();
            if (next == null || next.compareTo(STALL) > 0) {
                throw new IllegalStateException(
                        "run stalled at " + Duration.between(started, time.now()) + " of virtual time");
            }
            time.advance(next);
        }
        run.join();
        return Duration.between(started, time.now());
    }
}
