package io.voltworkflow.bench.jmh;

import io.voltworkflow.bench.dag.BaselineRunner;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.Dispatch;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.time.SystemTimeSource;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One no-op chain, start to end, through the orchestrator (in-memory store) and through the minimal runner: the
 * micro view of the {@code overhead} scenario. Divide by {@code steps} for the time per step.
 * {@code java -cp volt-workflow-bench.jar org.openjdk.jmh.Main StepOverhead}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StepOverheadBenchmark {
    @Param({"10", "100"})
    public int steps;

    private Dag chain;
    private WorkflowOrchestrator orchestrator;
    private ForkJoinPool pool;
    private SystemTimeSource time;
    private BaselineRunner baseline;

    @Setup(Level.Trial)
    public void open() {
        chain = Dags.chain(steps, Duration.ZERO);
        pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        time = new SystemTimeSource();
        baseline = new BaselineRunner(pool, time, 0, Dispatch.CRITICAL_PATH_FIRST);
        orchestrator =
                WorkflowOrchestrator.create(VoltDags.options(VoltDags.engines()).build());
    }

    /** The in-memory store keeps every event: a fresh orchestrator per iteration keeps the heap flat. */
    @Setup(Level.Iteration)
    public void freshOrchestrator() {
        orchestrator.close();
        orchestrator =
                WorkflowOrchestrator.create(VoltDags.options(VoltDags.engines()).build());
    }

    @TearDown(Level.Trial)
    public void close() {
        orchestrator.close();
        time.close();
        pool.shutdown();
    }

    @Benchmark
    public long orchestrator() throws Exception {
        return VoltDags.runTimed(orchestrator, chain, WorkflowOptions.DEFAULTS).get(1, TimeUnit.MINUTES);
    }

    @Benchmark
    public Object baseline() throws Exception {
        return baseline.run(chain).get(1, TimeUnit.MINUTES);
    }
}
