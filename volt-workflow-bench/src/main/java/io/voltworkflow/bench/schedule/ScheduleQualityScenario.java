package io.voltworkflow.bench.schedule;

import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.Stats;
import io.voltworkflow.bench.dag.BaselineRunner;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.DagRunner;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.Dispatch;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.time.SystemTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Makespan of latency-bound DAGs (steps wait 5-20 ms on the time source, they do not compute) over the lower
 * bound: the critical path when unbounded, max(critical path, work / k) with at most k steps at once. Real time is
 * used, not the virtual clock: the virtual clock would need the harness to know when the orchestrator has
 * finished reacting before moving time, which only its internals know, and real time charges every dispatch delay
 * to the makespan, which is what a user waits for. Timer jitter affects both runners alike and shows in the
 * baseline's own ratio.
 */
public final class ScheduleQualityScenario implements Scenario {
  private static final double TARGET_UNBOUNDED = 1.02;

  @Override
  public String name() {
    return "schedule";
  }

  @Override
  public String summary() {
    return "makespan over the critical-path bound, unbounded and bounded, vs critical-path-first and FIFO runners";
  }

  /** Scale 1000 would need 24,000 steps in one workflow; the definition limit is 10,000. */
  @Override
  public int maxScale() {
    return 100;
  }

  @Override
  public List<Figure> run(RunSettings settings) throws Exception {
    int scale = settings.scale();
    int repetitions = settings.pick(5, 1);
    int layeredWidth = 4 * scale;
    Dag layered = Dags.layered(42, 6, layeredWidth, 3, 5, 20);
    Dag chainBehindFan = Dags.chainBehindFan(16 * scale, Duration.ofMillis(5), 8, Duration.ofMillis(10));
    List<Figure> figures = new ArrayList<>();
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try (SystemTimeSource time = new SystemTimeSource();
        WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(VoltDags.options(VoltDags.engines()).build())) {
      Comparison comparison = new Comparison(pool, time, orchestrator, repetitions, !settings.quick());
      figures.addAll(comparison.measure(name(), scale, layered, Math.max(2, layeredWidth / 2)));
      figures.addAll(comparison.measure(name(), scale, chainBehindFan, 2 * scale));
    } finally {
      pool.shutdown();
    }
    return figures;
  }

  private record Comparison(
      ForkJoinPool pool, SystemTimeSource time, WorkflowOrchestrator orchestrator, int repetitions, boolean warmUp) {

    List<Figure> measure(String scenario, int scale, Dag dag, int k) throws Exception {
      double criticalPath = dag.lowerBound(0).toNanos();
      double bounded = dag.lowerBound(k).toNanos();
      double baselineUnbounded = medianMakespan(baseline(0, Dispatch.CRITICAL_PATH_FIRST), dag) / criticalPath;
      double oursUnbounded = medianMakespan(ours(0), dag) / criticalPath;
      double baselineCriticalFirst = medianMakespan(baseline(k, Dispatch.CRITICAL_PATH_FIRST), dag) / bounded;
      double baselineFifo = medianMakespan(baseline(k, Dispatch.FIFO), dag) / bounded;
      double oursBounded = medianMakespan(ours(k), dag) / bounded;
      String shape = dag.shape() + " (" + dag.size() + " steps, critical path " + dag.criticalPath().toMillis() + " ms";
      String boundNote = shape + ", bound " + Math.round(bounded / 1e6) + " ms)";
      return List.of(
          new Figure(scenario, scale, "makespan / critical path, unbounded", "×", baselineUnbounded, oursUnbounded,
              "≤ 1.02", Figure.verdict(oursUnbounded <= TARGET_UNBOUNDED), shape + ")"),
          new Figure(scenario, scale, "makespan / lower bound, k=" + k + " (baseline critical-path-first)", "×",
              baselineCriticalFirst, oursBounded, "", Figure.Verdict.NONE, boundNote),
          new Figure(scenario, scale, "makespan / lower bound, k=" + k + " (baseline FIFO)", "×",
              baselineFifo, oursBounded, "", Figure.Verdict.NONE, boundNote));
    }

    private DagRunner baseline(int k, Dispatch dispatch) {
      return DagRunner.of(new BaselineRunner(pool, time, k, dispatch));
    }

    private DagRunner ours(int k) {
      return VoltDags.runner(orchestrator, WorkflowOptions.builder().maxConcurrentSteps(k).build());
    }

    private double medianMakespan(DagRunner runner, Dag dag) throws Exception {
      if (warmUp) {
        runner.runTimed(dag).get(5, TimeUnit.MINUTES);
      }
      double[] makespans = new double[repetitions];
      for (int i = 0; i < repetitions; i++) {
        makespans[i] = runner.runTimed(dag).get(5, TimeUnit.MINUTES);
      }
      return Stats.median(makespans);
    }
  }
}
