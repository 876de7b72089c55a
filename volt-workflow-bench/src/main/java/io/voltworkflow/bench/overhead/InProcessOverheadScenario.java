package io.voltworkflow.bench.overhead;

import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.JitWarmup;
import io.voltworkflow.bench.ProcessCpu;
import io.voltworkflow.bench.Profiler;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.Stats;
import io.voltworkflow.bench.dag.BaselineRunner;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.DagRunner;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.Dispatch;
import io.voltworkflow.bench.dag.VoltSession;
import io.voltworkflow.bench.dag.Workloads;
import io.voltworkflow.core.time.SystemTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * The in-process limit: 10-step chains of no-op steps on the in-memory store, so all time per step is the
 * runner's own. Latency: one workflow at a time, per-step time of each; throughput: many chains at once. With
 * {@code --profile}, ours is profiled (CPU) in each of the three measured phases: {@code sequential},
 * {@code in-flight} (one submitting thread) and {@code in-flight-<cores>-submitters}.
 */
public final class InProcessOverheadScenario implements Scenario {
    private static final int CHAIN_LENGTH = 10;
    private static final int IN_FLIGHT = 1000;

    private static final double TARGET_MICROS = 20;
    private static final double TARGET_RATIO = 2;

    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public String summary() {
        return "per-step overhead with no-op engines and the in-memory store vs a minimal CompletableFuture DAG runner";
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        int workflows = settings.pick(100, 20) * settings.scale();
        int warmupRound = settings.pick(1000, 50);
        int minWarmupRounds = settings.pick(3, 1);
        int maxWarmupRounds = settings.pick(40, 1);
        Dag chain = Dags.chain(CHAIN_LENGTH, Duration.ZERO);
        ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try (SystemTimeSource time = new SystemTimeSource()) {
            DagRunner baseline = DagRunner.of(new BaselineRunner(pool, time, 0, Dispatch.CRITICAL_PATH_FIRST));
            VoltSession ours = new VoltSession();
            try {
                int baselineWarmup = warmUp(baseline, chain, warmupRound, minWarmupRounds, maxWarmupRounds);
                int oursWarmup = warmUp(ours, chain, warmupRound, minWarmupRounds, maxWarmupRounds);
                long cpu = ProcessCpu.nanos();
                double[] baselineMicros = sequentialPerStepMicros(baseline, chain, workflows);
                long baselineCpu = ProcessCpu.nanos() - cpu;
                cpu = ProcessCpu.nanos();
                double[] oursMicros = settings.profiler()
                        .profile(
                                "sequential",
                                Profiler.Event.CPU,
                                () -> sequentialPerStepMicros(ours, chain, workflows));
                long oursCpu = ProcessCpu.nanos() - cpu;
                double steps = (double) workflows * CHAIN_LENGTH;
                double baselineRate = stepsPerSecond(baseline, chain, workflows, 1);
                double oursRate = settings.profiler()
                        .profile("in-flight", Profiler.Event.CPU, () -> stepsPerSecond(ours, chain, workflows, 1));
                int cores = Runtime.getRuntime().availableProcessors();
                double baselineParallelRate = stepsPerSecond(baseline, chain, workflows, cores);
                double oursParallelRate = settings.profiler()
                        .profile(
                                "in-flight-" + cores + "-submitters",
                                Profiler.Event.CPU,
                                () -> stepsPerSecond(ours, chain, workflows, cores));
                double baselineMedian = Stats.median(baselineMicros);
                double oursMedian = Stats.median(oursMicros);
                boolean met = oursMedian <= TARGET_MICROS && oursMedian / baselineMedian <= TARGET_RATIO;
                String work = workflows + " sequential " + CHAIN_LENGTH + "-step chains, after " + baselineWarmup
                        + " (baseline) and " + oursWarmup + " (ours) warm-up rounds of " + warmupRound;
                return List.of(
                        new Figure(
                                name(),
                                settings.scale(),
                                "median time per no-op step",
                                "µs",
                                baselineMedian,
                                oursMedian,
                                "≤ 20 µs and ratio ≤ 2",
                                Figure.verdict(met),
                                work),
                        new Figure(
                                name(),
                                settings.scale(),
                                "p99 time per no-op step",
                                "µs",
                                Stats.percentile(baselineMicros, 99),
                                Stats.percentile(oursMicros, 99),
                                "",
                                Figure.Verdict.NONE,
                                work),
                        new Figure(
                                name(),
                                settings.scale(),
                                "process CPU time per no-op step, sequential",
                                "µs",
                                baselineCpu / 1e3 / steps,
                                oursCpu / 1e3 / steps,
                                "",
                                Figure.Verdict.NONE,
                                work + "; every thread (timer, pools, JIT, GC), creating the workflows included"),
                        new Figure(
                                name(),
                                settings.scale(),
                                "no-op steps per second",
                                "steps/s",
                                baselineRate,
                                oursRate,
                                "",
                                Figure.Verdict.NONE,
                                workflows + " chains, " + Math.min(IN_FLIGHT, workflows)
                                        + " in flight, started from one thread"),
                        new Figure(
                                name(),
                                settings.scale(),
                                "no-op steps per second, " + cores + " submitting threads",
                                "steps/s",
                                baselineParallelRate,
                                oursParallelRate,
                                "",
                                Figure.Verdict.NONE,
                                workflows + " chains, " + Math.min(IN_FLIGHT, workflows) + " in flight, started from "
                                        + cores + " threads (one per core): instant steps run on the thread that"
                                        + " starts the workflow"));
            } finally {
                ours.close();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Warm-up until the JIT is quiet: rounds of {@code round} chains one at a time, then as many with 1,000 in flight
     * (the throughput phases take paths the sequential one does not); returns the rounds run.
     */
    private static int warmUp(DagRunner runner, Dag dag, int round, int minRounds, int maxRounds) throws Exception {
        return JitWarmup.untilCompiled(
                () -> {
                    sequentialPerStepMicros(runner, dag, round);
                    Workloads.runAll(runner, dag, round, IN_FLIGHT);
                },
                minRounds,
                maxRounds);
    }

    /** Runs {@code count} chains one after another; returns each one's time per step in microseconds. */
    private static double[] sequentialPerStepMicros(DagRunner runner, Dag dag, int count) throws Exception {
        double[] micros = new double[count];
        for (int i = 0; i < count; i++) {
            long nanos = runner.runTimed(dag).get(1, TimeUnit.MINUTES);
            micros[i] = nanos / 1000.0 / dag.size();
        }
        return micros;
    }

    private static double stepsPerSecond(DagRunner runner, Dag dag, int count, int submitters) throws Exception {
        long nanos = submitters == 1
                ? Workloads.runAll(runner, dag, count, IN_FLIGHT)
                : Workloads.runAll(runner, dag, count, IN_FLIGHT, submitters);
        double seconds = nanos / 1e9;
        return (double) count * dag.size() / seconds;
    }
}
