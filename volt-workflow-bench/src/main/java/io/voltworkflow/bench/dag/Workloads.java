package io.voltworkflow.bench.dag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Drives many DAG runs with a bounded number in flight. */
public final class Workloads {
  private Workloads() {}

  /**
   * Runs {@code dag} {@code count} times, at most {@code inFlight} at once, submitted from the calling thread;
   * returns the elapsed nanoseconds.
   */
  public static long runAll(DagRunner runner, Dag dag, int count, int inFlight) throws Exception {
    return runAll(runner, dag, count, inFlight, 1);
  }

  /**
   * Like {@link #runAll(DagRunner, Dag, int, int)} with {@code submitters} threads starting runs: the
   * orchestrator's create and start return once their events are durable, so one thread pays a sync per call
   * while a server's many request threads share syncs.
   */
  public static long runAll(DagRunner runner, Dag dag, int count, int inFlight, int submitters) throws Exception {
    Semaphore permits = new Semaphore(inFlight);
    List<CompletableFuture<Long>> runs = new ArrayList<>(count);
    ExecutorService pool = submitters == 1 ? null : Executors.newFixedThreadPool(submitters);
    long started = System.nanoTime();
    try {
      for (int i = 0; i < count; i++) {
        permits.acquire();
        CompletableFuture<Long> run = pool == null
            ? runner.runTimed(dag)
            : CompletableFuture.supplyAsync(() -> runner.runTimed(dag), pool).thenCompose(r -> r);
        runs.add(run.whenComplete((ignored, error) -> permits.release()));
      }
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
      return System.nanoTime() - started;
    } finally {
      if (pool != null) {
        pool.shutdown();
      }
    }
  }
}
