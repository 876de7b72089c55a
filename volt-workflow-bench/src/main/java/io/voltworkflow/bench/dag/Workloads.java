package io.voltworkflow.bench.dag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Drives many DAG runs with a bounded number in flight. */
public final class Workloads {
  private Workloads() {}

  /** Runs {@code dag} {@code count} times, at most {@code inFlight} at once; returns the elapsed nanoseconds. */
  public static long runAll(DagRunner runner, Dag dag, int count, int inFlight) throws Exception {
    Semaphore permits = new Semaphore(inFlight);
    List<CompletableFuture<Long>> runs = new ArrayList<>(count);
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      permits.acquire();
      runs.add(runner.runTimed(dag).whenComplete((ignored, error) -> permits.release()));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
    return System.nanoTime() - started;
  }
}
