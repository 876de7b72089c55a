package io.voltworkflow.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warm-up that lasts until the JIT compilers have finished with the code under test, not a fixed count: a runner
 * with more code (ours) needs more runs before its hot paths are compiled than a minimal one, and a fixed count
 * sized for the smaller runner leaves the larger one measured while the C2 compiler is still at work (the flame
 * graphs showed it taking 27–47 % of the measured phases' CPU after 3,000 workflows). Rounds repeat until two in a
 * row each added less compilation time than {@link #QUIET_SHARE} of their own wall time, or {@code maxRounds}.
 */
public final class JitWarmup {
    /** A round whose compilation time stays below this share of its wall time counts as quiet. */
    private static final double QUIET_SHARE = 0.02;

    private static final int QUIET_ROUNDS_NEEDED = 2;

    /** One round of the work to warm up. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }

    private JitWarmup() {}

    /**
     * Runs {@code round} at least {@code minRounds} and at most {@code maxRounds} times, stopping once the JIT is
     * quiet; returns the rounds run. Without compilation-time monitoring it runs {@code maxRounds}.
     */
    public static int untilCompiled(Round round, int minRounds, int maxRounds) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean monitored = jit != null && jit.isCompilationTimeMonitoringSupported();
        int quietInARow = 0;
        int rounds = 0;
        while (rounds < maxRounds && (rounds < minRounds || quietInARow < QUIET_ROUNDS_NEEDED || !monitored)) {
            long compiledMillis = monitored ? jit.getTotalCompilationTime() : 0;
            long started = System.nanoTime();
            round.run();
            double wallMillis = (System.nanoTime() - started) / 1e6;
            rounds++;
            if (monitored) {
                long added = jit.getTotalCompilationTime() - compiledMillis;
                quietInARow = added <= QUIET_SHARE * wallMillis ? quietInARow + 1 : 0;
            }
        }
        return rounds;
    }
}
