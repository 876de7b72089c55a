package io.voltworkflow.bench.cost;

import io.voltworkflow.bench.AllocatedBytes;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * What a no-op step costs, in units machine load barely moves: process CPU time (every thread, JIT and GC
 * included) and heap bytes allocated by every thread, per step, for the same 10-step chains as {@code overhead} on
 * ours (a default in-memory orchestrator) and the minimal runner. Each repetition runs a fresh orchestrator, so the
 * threads doing the work live through the measurement; the repetitions alternate ours and the baseline and the
 * figures are their medians. With {@code --profile}, ours is profiled (CPU) in every measured repetition of each
 * mode, and allocations in one extra repetition per mode whose figures are not counted.
 */
public final class StepCostScenario implements Scenario {
    private static final int CHAIN_LENGTH = 10;
    private static final int IN_FLIGHT_BOUND = 1000;
    /** Per repetition at scale 1: 50,000 steps, so the process CPU clock's 10 ms tick is 0.2 µs per step. */
    private static final int WORKFLOWS = 5000;

    @Override
    public String name() {
        return "cost";
    }

    @Override
    public String summary() {
        return "process CPU and allocated bytes per no-op step vs the minimal runner, sequential and 1,000 in flight";
    }

    @Override
    public int maxScale() {
        return VoltSession.WORKFLOWS_PER_ORCHESTRATOR / WORKFLOWS; // one orchestrator per repetition
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        int workflows = settings.pick(WORKFLOWS, 50) * settings.scale();
        int repetitions = settings.pick(5, 1);
        Dag chain = Dags.chain(CHAIN_LENGTH, Duration.ZERO);
        ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try (SystemTimeSource time = new SystemTimeSource()) {
            DagRunner baseline = DagRunner.of(new BaselineRunner(pool, time, 0, Dispatch.CRITICAL_PATH_FIRST));
            int warmupRound = settings.pick(1000, 50);
            // Warm-up until the JIT is quiet: both paths of both runners, so no repetition pays for compiling them.
            JitWarmup.Round baselineRound = () -> {
                for (Mode mode : Mode.values()) {
                    measure(baseline, chain, warmupRound, mode);
                }
            };
            JitWarmup.Round oursRound = () -> {
                try (VoltSession ours = new VoltSession()) {
                    for (Mode mode : Mode.values()) {
                        measure(ours, chain, warmupRound, mode);
                    }
                }
            };
            JitWarmup.untilCompiled(baselineRound, settings.pick(3, 1), settings.pick(40, 1));
            JitWarmup.untilCompiled(oursRound, settings.pick(3, 1), settings.pick(40, 1));
            List<Figure> figures = new ArrayList<>();
            for (Mode mode : Mode.values()) {
                double[][] baselineCost = new double[2][repetitions];
                double[][] oursCost = new double[2][repetitions];
                for (int rep = 0; rep < repetitions; rep++) {
                    Cost b = measure(baseline, chain, workflows, mode);
                    Cost o;
                    try (VoltSession ours = new VoltSession()) {
                        o = settings.profiler()
                                .profile(mode.tag, Profiler.Event.CPU, () -> measure(ours, chain, workflows, mode));
                    }
                    baselineCost[0][rep] = b.cpuMicrosPerStep;
                    baselineCost[1][rep] = b.bytesPerStep;
                    oursCost[0][rep] = o.cpuMicrosPerStep;
                    oursCost[1][rep] = o.bytesPerStep;
                }
                if (settings.profiler().enabled()) { // one more repetition, not counted: the sampler's bytes stay out
                    try (VoltSession ours = new VoltSession()) {
                        settings.profiler()
                                .profile(mode.tag, Profiler.Event.ALLOC, () -> measure(ours, chain, workflows, mode));
                    }
                }
                String work = "median of " + repetitions + " alternating repetitions of " + workflows + " "
                        + CHAIN_LENGTH + "-step chains, " + mode.description
                        + "; every thread, creating the workflows included";
                figures.add(new Figure(
                        name(),
                        settings.scale(),
                        "process CPU time per no-op step, " + mode.label,
                        "µs",
                        Stats.median(baselineCost[0]),
                        Stats.median(oursCost[0]),
                        "",
                        Figure.Verdict.NONE,
                        work + " (JIT and GC threads too)"));
                figures.add(new Figure(
                        name(),
                        settings.scale(),
                        "bytes allocated per no-op step, " + mode.label,
                        "B",
                        Stats.median(baselineCost[1]),
                        Stats.median(oursCost[1]),
                        "",
                        Figure.Verdict.NONE,
                        work));
            }
            return figures;
        } finally {
            pool.shutdown();
        }
    }

    private enum Mode {
        SEQUENTIAL("sequential", "sequential", "one at a time"),
        IN_FLIGHT("1,000 in flight", "in-flight", "1,000 in flight, started from one thread");

        final String label;
        final String tag;
        final String description;

        Mode(String label, String tag, String description) {
            this.label = label;
            this.tag = tag;
            this.description = description;
        }
    }

    private record Cost(double cpuMicrosPerStep, double bytesPerStep) {}

    private static Cost measure(DagRunner runner, Dag dag, int workflows, Mode mode) throws Exception {
        long bytes = AllocatedBytes.allThreads();
        long cpu = ProcessCpu.nanos();
        if (mode == Mode.SEQUENTIAL) {
            for (int i = 0; i < workflows; i++) {
                runner.runTimed(dag).get(1, TimeUnit.MINUTES);
            }
        } else {
            Workloads.runAll(runner, dag, workflows, IN_FLIGHT_BOUND);
        }
        long cpuUsed = ProcessCpu.nanos() - cpu;
        long bytesUsed = AllocatedBytes.allThreads() - bytes;
        double steps = (double) workflows * dag.size();
        return new Cost(cpuUsed / 1e3 / steps, bytesUsed / steps);
    }
}
