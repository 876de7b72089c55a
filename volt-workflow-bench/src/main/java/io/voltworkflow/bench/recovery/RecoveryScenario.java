package io.voltworkflow.bench.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.ProcessCpu;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.bench.disk.AppendTrace;
import io.voltworkflow.bench.disk.RecordingStore;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.EventCodec;
import io.voltworkflow.core.store.FileWorkflowStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recovery: a file store holds N in-flight workflows of 12 steps (their first 3 steps were running when the
 * orchestrator closed). Measured: from opening an orchestrator on that directory until every workflow has a step
 * running again. Baseline: the least an event-sourced recovery must do, reading every byte of the store's files
 * and decoding every record it holds. Both read from the page cache (the files were just written).
 */
public final class RecoveryScenario implements Scenario {
    private static final Duration TARGET = Duration.ofSeconds(2);
    private static final int TARGET_WORKFLOWS = 10_000;
    private static final int SUBMITTERS = 64;

    @Override
    public String name() {
        return "recovery";
    }

    @Override
    public String summary() {
        return "time to reopen a file store of N in-flight workflows until all run again vs read + decode of its records";
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        int workflows = 10 * settings.scale();
        Dag dag = Dags.layered(12, 4, 3, 2, 1, 1);
        Path directory = settings.workDir().resolve("store");
        AppendTrace trace = populate(directory, dag, workflows);

        // The first round loads and compiles the decoding and replay code; the second is measured.
        int rounds = settings.quick() ? 1 : 2;
        List<List<byte[]>> encoded = trace.encoded();
        for (int round = 1; round < rounds; round++) {
            Cost.of(() -> readAndDecode(directory, encoded));
            Cost.of(() -> reopenUntilAllRunning(directory, workflows));
        }
        Cost baseline = Cost.of(() -> readAndDecode(directory, encoded));
        Cost ours = Cost.of(() -> reopenUntilAllRunning(directory, workflows));
        long baselineNanos = baseline.wallNanos();
        long oursNanos = ours.wallNanos();
        double oursMs = oursNanos / 1e6;
        double projectedMs = oursMs * TARGET_WORKFLOWS / workflows;
        String note = workflows + " workflows of 12 steps, " + trace.records()
                + " records; baseline: read all files + decode all records"
                + (workflows < TARGET_WORKFLOWS
                        ? String.format("; verdict on 10,000 projected linearly: %.0f ms", projectedMs)
                        : "");
        return List.of(
                new Figure(
                        name(),
                        settings.scale(),
                        "reopen until every in-flight workflow runs again",
                        "ms",
                        baselineNanos / 1e6,
                        oursMs,
                        "≤ 2,000 ms for 10,000",
                        Figure.verdict(projectedMs <= TARGET.toMillis()),
                        note),
                new Figure(
                        name(),
                        settings.scale(),
                        "CPU time of the process during that reopen",
                        "ms",
                        baseline.cpuNanos() / 1e6,
                        ours.cpuNanos() / 1e6,
                        "",
                        Figure.Verdict.NONE,
                        "all threads (decoding pool, store writer, JIT and GC; closing the reopened orchestrator too): what other load on the machine inflates least"));
    }

    /** The wall time an action measured itself, and the whole process's CPU time around it. */
    private record Cost(long wallNanos, long cpuNanos) {
        interface Timed {
            long nanos() throws Exception;
        }

        static Cost of(Timed action) throws Exception {
            long cpu = ProcessCpu.nanos();
            long wall = action.nanos();
            return new Cost(wall, ProcessCpu.nanos() - cpu);
        }
    }

    private static long reopenUntilAllRunning(Path directory, int workflows) throws InterruptedException {
        CompletableFuture<JsonNode> neverDone = new CompletableFuture<>();
        Set<WorkflowId> runningAgain = ConcurrentHashMap.newKeySet();
        CountDownLatch allRunning = new CountDownLatch(workflows);
        long started = System.nanoTime();
        try (WorkflowOrchestrator reopened =
                WorkflowOrchestrator.create(VoltDags.options(VoltDags.engines((invocation, context) -> {
                            if (runningAgain.add(context.workflowId())) {
                                allRunning.countDown();
                            }
                            return neverDone;
                        }))
                        .store(new FileWorkflowStore(directory))
                        .build())) {
            if (!allRunning.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(
                        "only " + runningAgain.size() + " of " + workflows + " workflows resumed");
            }
            return System.nanoTime() - started;
        }
    }

    /** Runs N workflows until their first steps hang, then closes: they are in flight in the store. */
    private static AppendTrace populate(Path directory, Dag dag, int workflows) throws Exception {
        CompletableFuture<JsonNode> neverDone = new CompletableFuture<>();
        int rootSteps = (int)
                dag.nodes().stream().filter(n -> n.dependencies().isEmpty()).count();
        AtomicInteger started = new AtomicInteger();
        RecordingStore recording = new RecordingStore(new FileWorkflowStore(directory));
        try (WorkflowOrchestrator orchestrator =
                WorkflowOrchestrator.create(VoltDags.options(VoltDags.engines((invocation, context) -> {
                            started.incrementAndGet();
                            return neverDone;
                        }))
                        .store(recording)
                        .build())) {
            VoltDags.startAll(orchestrator, dag, workflows, SUBMITTERS);
            while (started.get() < workflows * rootSteps) {
                Thread.sleep(5);
            }
        }
        return recording.trace();
    }

    private static long readAndDecode(Path directory, List<List<byte[]>> encoded) throws Exception {
        long started = System.nanoTime();
        long bytes = 0;
        try (var files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                bytes += Files.readAllBytes(file).length;
            }
        }
        long decoded = 0;
        for (List<byte[]> lane : encoded) {
            for (byte[] payload : lane) {
                decoded += EventCodec.decode(payload).sequence();
            }
        }
        long elapsed = System.nanoTime() - started;
        if (bytes == 0 || decoded == 0) {
            throw new IllegalStateException("the store holds nothing to recover");
        }
        return elapsed;
    }
}
