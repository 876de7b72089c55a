package io.voltworkflow.bench.dag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Drives many asynchronous operations with a bounded number in flight. */
public final class Workloads {
    private Workloads() {}

    /**
     * Starts {@code count} operations from the calling thread, at most {@code inFlight} unfinished at once; returns
     * the nanoseconds until the last one finished.
     */
    public static long runConcurrently(int count, int inFlight, Supplier<? extends CompletableFuture<?>> start)
            throws Exception {
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<?>> running = new ArrayList<>(count);
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            permits.acquire();
            running.add(start.get().whenComplete((ignored, error) -> permits.release()));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        return System.nanoTime() - started;
    }

    /** Runs {@code dag} {@code count} times, at most {@code inFlight} at once; returns the elapsed nanoseconds. */
    public static long runAll(DagRunner runner, Dag dag, int count, int inFlight) throws Exception {
        return runConcurrently(count, inFlight, () -> runner.runTimed(dag));
    }

    /**
     * Like {@link #runAll(DagRunner, Dag, int, int)} with {@code submitters} threads starting runs: the
     * orchestrator's create and start return once their events are durable, so one thread pays a sync per call
     * while a server's many request threads share syncs.
     */
    public static long runAll(DagRunner runner, Dag dag, int count, int inFlight, int submitters) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        try {
            return runConcurrently(
                    count,
                    inFlight,
                    () -> CompletableFuture.completedFuture(dag).thenComposeAsync(runner::runTimed, pool));
        } finally {
            pool.shutdown();
        }
    }
}
