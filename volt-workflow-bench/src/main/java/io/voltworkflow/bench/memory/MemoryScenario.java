package io.voltworkflow.bench.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.dag.BaselineRunner;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.Dispatch;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Heap per in-flight workflow of 12 steps (4 layers of 3): first running (its 3 first steps wait on a gate), then
 * paused (gate opened, 3 steps done, 9 pending). Baselines: the empty orchestrator, and the same DAGs held in
 * flight by the minimal runner. Every gated step returns the one shared gate future, so the harness itself adds
 * nothing per step.
 */
public final class MemoryScenario implements Scenario {
    private static final long TARGET_BYTES_FOR_10K = 128L << 20;
    private static final int TARGET_WORKFLOWS = 10_000;
    private static final int SUBMITTERS = 64;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String summary() {
        return "heap per in-flight (running, paused) 12-step workflow vs the empty orchestrator and the minimal runner";
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        int workflows = 10 * settings.scale();
        Dag dag = Dags.layered(12, 4, 3, 2, 1, 1);
        int rootSteps = (int)
                dag.nodes().stream().filter(n -> n.dependencies().isEmpty()).count();
        double baselinePerDag = minimalRunnerBytesPerDag(dag, workflows, rootSteps);

        List<Figure> figures = new ArrayList<>();
        figures.addAll(measure(
                settings.scale(),
                dag,
                workflows,
                rootSteps,
                baselinePerDag,
                new InMemoryWorkflowStore(),
                "in-memory store (its event log is on the heap too)"));
        figures.addAll(measure(
                settings.scale(),
                dag,
                workflows,
                rootSteps,
                baselinePerDag,
                new FileWorkflowStore(settings.workDir().resolve("store")),
                "file store"));
        return figures;
    }

    private List<Figure> measure(
            int scale,
            Dag dag,
            int workflows,
            int rootSteps,
            double baselinePerDag,
            WorkflowStore store,
            String storeName)
            throws Exception {
        CompletableFuture<JsonNode> gate = new CompletableFuture<>();
        AtomicInteger invocations = new AtomicInteger();
        try (WorkflowOrchestrator orchestrator =
                WorkflowOrchestrator.create(VoltDags.options(VoltDags.engines((invocation, context) -> {
                            invocations.incrementAndGet();
                            return gate;
                        }))
                        .store(store)
                        .build())) {
            long empty = Heap.usedAfterGc();
            List<WorkflowId> ids = VoltDags.startAll(orchestrator, dag, workflows, SUBMITTERS);
            awaitCount(invocations::get, workflows * rootSteps, "gated steps started");
            long running = Heap.usedAfterGc();
            List<CompletableFuture<WorkflowStatus>> paused = new ArrayList<>(workflows);
            for (WorkflowId id : ids) {
                paused.add(orchestrator.pauseWorkflow(id));
            }
            gate.complete(JsonNodeFactory.instance.objectNode());
            CompletableFuture.allOf(paused.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long pausedHeap = Heap.usedAfterGc();
            double runningPer = (running - empty) / (double) workflows;
            double pausedPer = (pausedHeap - empty) / (double) workflows;
            String note = workflows + " workflows, " + storeName;
            return List.of(
                    new Figure(
                            name(),
                            scale,
                            "heap, empty orchestrator vs with running workflows",
                            "MiB",
                            mib(empty),
                            mib(running),
                            "",
                            Figure.Verdict.NONE,
                            note),
                    perWorkflow(scale, "running", baselinePerDag, runningPer, note),
                    perWorkflow(scale, "paused", baselinePerDag, pausedPer, note));
        }
    }

    private Figure perWorkflow(int scale, String state, double baselinePerDag, double perWorkflow, String note) {
        double projected = perWorkflow * TARGET_WORKFLOWS;
        return new Figure(
                name(),
                scale,
                "heap per " + state + " workflow (baseline: minimal runner per DAG)",
                "bytes",
                baselinePerDag,
                perWorkflow,
                "10,000 in ≤ 128 MiB (≤ 13,422 B each)",
                Figure.verdict(projected <= TARGET_BYTES_FOR_10K),
                note + String.format("; 10,000 would take %.0f MiB", projected / (1 << 20)));
    }

    private static double minimalRunnerBytesPerDag(Dag dag, int count, int rootSteps) throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        BaselineRunner runner = new BaselineRunner(
                Runnable::run,
                node -> {
                    started.incrementAndGet();
                    return gate;
                },
                0,
                Dispatch.CRITICAL_PATH_FIRST);
        long before = Heap.usedAfterGc();
        List<CompletableFuture<Void>> runs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            runs.add(runner.run(dag));
        }
        awaitCount(started::get, count * rootSteps, "baseline steps started");
        long after = Heap.usedAfterGc();
        gate.complete(null);
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return (after - before) / (double) count;
    }

    private static void awaitCount(IntSupplier count, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (count.getAsInt() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        what + ": " + count.getAsInt() + " of " + expected + " after 5 minutes");
            }
            Thread.sleep(5);
        }
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
