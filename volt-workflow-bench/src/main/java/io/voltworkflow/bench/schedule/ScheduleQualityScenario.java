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
import io.voltworkflow.bench.dag.VirtualMakespan;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.time.SystemTimeSource;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Makespan of latency-bound DAGs (steps wait 5-20 ms on the time source, they do not compute) over the lower
 * bound: the critical path when unbounded, max(critical path, work / k) with at most k steps at once. Two clocks:
 * the virtual clock gives the exact makespan of the dispatch decisions alone (deterministic, see
 * {@link VirtualMakespan}); real time adds what a user also waits for, the dispatch delay of every step and the
 * timer and thread wake-up jitter of a shared 2-core host, which the baseline suffers alike. The orchestrator has
 * no FIFO switch: FIFO is measured with the baseline runner only.
 */
public final class ScheduleQualityScenario implements Scenario {
    private static final double TARGET_UNBOUNDED = 1.02;
    private static final int WARM_UP_RUNS = 3;

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
        int layeredWidth = 4 * scale;
        Dag layered = Dags.layered(42, 6, layeredWidth, 3, 5, 20);
        Dag chainBehindFan = Dags.chainBehindFan(16 * scale, Duration.ofMillis(5), 8, Duration.ofMillis(10));
        List<Figure> figures = new ArrayList<>();
        VirtualClock virtual = new VirtualClock(new VirtualTimeSource());
        figures.addAll(virtual.compare(name(), scale, layered, Math.max(2, layeredWidth / 2)));
        figures.addAll(virtual.compare(name(), scale, chainBehindFan, 2 * scale));
        ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try (SystemTimeSource time = new SystemTimeSource()) {
            RealClock real = new RealClock(pool, time, settings.pick(11, 1), !settings.quick());
            figures.addAll(real.compare(name(), scale, layered, Math.max(2, layeredWidth / 2)));
            figures.addAll(real.compare(name(), scale, chainBehindFan, 2 * scale));
        } finally {
            pool.shutdown();
        }
        return figures;
    }

    /** Makespans of one runner configuration, in nanoseconds. */
    private interface Makespans {
        double baseline(Dag dag, int k, Dispatch dispatch) throws Exception;

        double ours(Dag dag, int k) throws Exception;

        String clock();

        default List<Figure> compare(String scenario, int scale, Dag dag, int k) throws Exception {
            double criticalPath = dag.lowerBound(0).toNanos();
            double bounded = dag.lowerBound(k).toNanos();
            double baselineUnbounded = baseline(dag, 0, Dispatch.CRITICAL_PATH_FIRST) / criticalPath;
            double oursUnbounded = ours(dag, 0) / criticalPath;
            double baselineCriticalFirst = baseline(dag, k, Dispatch.CRITICAL_PATH_FIRST) / bounded;
            double baselineFifo = baseline(dag, k, Dispatch.FIFO) / bounded;
            double oursBounded = ours(dag, k) / bounded;
            String shape = clock() + " clock, " + dag.shape() + " (" + dag.size() + " steps, critical path "
                    + dag.criticalPath().toMillis() + " ms";
            String boundNote = shape + ", bound " + Math.round(bounded / 1e6) + " ms)";
            return List.of(
                    new Figure(
                            scenario,
                            scale,
                            "makespan / critical path, unbounded",
                            "×",
                            baselineUnbounded,
                            oursUnbounded,
                            "≤ 1.02",
                            Figure.verdict(oursUnbounded <= TARGET_UNBOUNDED),
                            shape + ")"),
                    new Figure(
                            scenario,
                            scale,
                            "makespan / lower bound, k=" + k + " (baseline critical-path-first)",
                            "×",
                            baselineCriticalFirst,
                            oursBounded,
                            "",
                            Figure.Verdict.NONE,
                            boundNote),
                    new Figure(
                            scenario,
                            scale,
                            "makespan / lower bound, k=" + k + " (baseline FIFO)",
                            "×",
                            baselineFifo,
                            oursBounded,
                            "",
                            Figure.Verdict.NONE,
                            boundNote));
        }
    }

    private record VirtualClock(VirtualTimeSource time) implements Makespans {
        @Override
        public String clock() {
            return "virtual";
        }

        @Override
        public double baseline(Dag dag, int k, Dispatch dispatch) {
            BaselineRunner runner = new BaselineRunner(Runnable::run, time, k, dispatch);
            return VirtualMakespan.measure(time, () -> runner.run(dag)).toNanos();
        }

        @Override
        public double ours(Dag dag, int k) {
            try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
                    VoltDags.options(VoltDags.engines()).timeSource(time).build())) {
                return VirtualMakespan.measure(time, () -> VoltDags.runTimed(orchestrator, dag, bound(k)))
                        .toNanos();
            }
        }
    }

    private record RealClock(ForkJoinPool pool, SystemTimeSource time, int repetitions, boolean warmUp)
            implements Makespans {
        @Override
        public String clock() {
            return "real";
        }

        @Override
        public double baseline(Dag dag, int k, Dispatch dispatch) throws Exception {
            return medianMakespan(DagRunner.of(new BaselineRunner(pool, time, k, dispatch)), dag);
        }

        @Override
        public double ours(Dag dag, int k) throws Exception {
            try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
                    VoltDags.options(VoltDags.engines()).build())) {
                return medianMakespan(VoltDags.runner(orchestrator, bound(k)), dag);
            }
        }

        private double medianMakespan(DagRunner runner, Dag dag) throws Exception {
            for (int i = 0; warmUp && i < WARM_UP_RUNS; i++) {
                runner.runTimed(dag).get(5, TimeUnit.MINUTES);
            }
            double[] makespans = new double[repetitions];
            for (int i = 0; i < repetitions; i++) {
                makespans[i] = runner.runTimed(dag).get(5, TimeUnit.MINUTES);
            }
            return Stats.median(makespans);
        }
    }

    private static WorkflowOptions bound(int k) {
        return WorkflowOptions.builder().maxConcurrentSteps(k).build();
    }
}
