package io.voltworkflow.bench.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.StepHandler;
import io.voltworkflow.core.engine.StepInvocation;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs benchmark DAGs through the orchestrator: every node becomes a step of one custom type whose handler waits
 * the node's latency on the orchestrator's time source (no compute), or returns at once for a no-op node.
 */
public final class VoltDags {
    public static final String STEP_TYPE = "bench_step";
    /** A global step bound no benchmark reaches. */
    public static final int UNBOUNDED = 1_000_000;

    private static final String LATENCY_FIELD = "latencyMs";

    private VoltDags() {}

    /** Engines serving {@link #STEP_TYPE} with the latency-waiting handler. */
    public static Engines engines() {
        return engines(VoltDags::waitLatency);
    }

    public static Engines engines(StepHandler handler) {
        return Engines.builder().customStep(STEP_TYPE, handler).build();
    }

    public static String stepName(int index) {
        return "s" + index;
    }

    public static WorkflowDefinition definition(Dag dag, WorkflowOptions options) {
        StepType type = StepType.of(STEP_TYPE);
        List<StepDefinition> steps = new ArrayList<>(dag.size());
        for (Dag.Node node : dag.nodes()) {
            List<String> dependencies =
                    node.dependencies().stream().map(VoltDags::stepName).toList();
            StepDefinition step =
                    StepDefinition.of(stepName(node.index()), type).withDependencies(dependencies);
            if (!node.latency().isZero()) {
                ObjectNode input = JsonNodeFactory.instance
                        .objectNode()
                        .put(LATENCY_FIELD, node.latency().toMillis());
                step = step.withInput(input);
            }
            steps.add(step);
        }
        return new WorkflowDefinition(
                "benchmark " + dag.shape(), JsonNodeFactory.instance.objectNode(), steps, options);
    }

    /**
     * Creates and starts the DAG as a workflow; the future holds the nanoseconds from start to termination and fails
     * unless the workflow completed.
     */
    public static CompletableFuture<Long> runTimed(
            WorkflowOrchestrator orchestrator, Dag dag, WorkflowOptions options) {
        return runTimed(orchestrator, definition(dag, options));
    }

    /** As {@link #runTimed(WorkflowOrchestrator, Dag, WorkflowOptions)}, for a definition the caller built once. */
    public static CompletableFuture<Long> runTimed(WorkflowOrchestrator orchestrator, WorkflowDefinition definition) {
        WorkflowId id = orchestrator.createWorkflow(definition).workflowId();
        long started = System.nanoTime();
        orchestrator.startWorkflow(id);
        return orchestrator.awaitTermination(id).thenApply(status -> {
            long elapsed = System.nanoTime() - started;
            requireCompleted(status);
            return elapsed;
        });
    }

    /**
     * Creates and starts {@code count} workflows of {@code dag} from {@code threads} threads (create and start return
     * once durable, so one thread would wait a sync per call); returns their ids.
     */
    public static List<WorkflowId> startAll(WorkflowOrchestrator orchestrator, Dag dag, int count, int threads)
            throws InterruptedException, ExecutionException {
        WorkflowDefinition definition = definition(dag, WorkflowOptions.DEFAULTS);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<WorkflowId>> started = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                started.add(pool.submit(() -> {
                    WorkflowId id = orchestrator.createWorkflow(definition).workflowId();
                    orchestrator.startWorkflow(id);
                    return id;
                }));
            }
            List<WorkflowId> ids = new ArrayList<>(count);
            for (Future<WorkflowId> future : started) {
                ids.add(future.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /** Orchestrator options for benchmarks: in-memory store unless set, no retries, no global concurrency bound. */
    public static OrchestratorOptions.Builder options(Engines engines) {
        return OrchestratorOptions.builder()
                .engines(engines)
                .maxConcurrentSteps(UNBOUNDED)
                .retryPolicy(RetryPolicy.NO_RETRY);
    }

    /** A runner that submits each DAG as a workflow with {@code options}. */
    public static DagRunner runner(WorkflowOrchestrator orchestrator, WorkflowOptions options) {
        return dag -> runTimed(orchestrator, dag, options);
    }

    public static void requireCompleted(WorkflowStatus status) {
        if (status.state() != WorkflowState.COMPLETED) {
            throw new IllegalStateException("benchmark workflow " + status.workflowId() + " ended "
                    + status.state().wireName() + ": " + status.error());
        }
    }

    private static CompletionStage<JsonNode> waitLatency(StepInvocation invocation, EngineContext context) {
        long millis = invocation.input().path(LATENCY_FIELD).asLong(0);
        if (millis == 0) {
            return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode());
        }
        return context.time()
                .delay(Duration.ofMillis(millis))
                .thenApply(ignored -> JsonNodeFactory.instance.objectNode());
    }
}
