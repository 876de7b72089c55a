package io.voltworkflow.core.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.StepInvocation;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process the crash test kills: an orchestrator on a file store running workflows with parallel steps, a flaky
 * step that fails its first attempt, and pauses. Every step invocation is witnessed in the {@link InvocationLog}.
 * Prints its store's open report and {@code opened}, then {@code progress} after each witnessed fact, which the parent counts to pick the
 * moment of the kill. In {@code finish} mode it runs everything to the end, writes every step's outcome to
 * {@code results} and exits.
 *
 * <p>Arguments: store directory, invocation log, generation, mode ({@code run} or {@code finish}), number of
 * workflows to create in total, workflows to create per run, random seed.
 */
public final class CrashChild {
    static final String STEP_TYPE = "crash_step";
    static final String FLAKY_STEP = "flaky";
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private final int generation;
    private final InvocationLog log;
    private final Random random;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "crash-child-timer");
        thread.setDaemon(true);
        return thread;
    });
    private WorkflowOrchestrator orchestrator;

    private CrashChild(int generation, InvocationLog log, long seed) {
        this.generation = generation;
        this.log = log;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        Path storeDirectory = Path.of(args[0]);
        Path invocations = Path.of(args[1]);
        int generation = Integer.parseInt(args[2]);
        boolean finish = args[3].equals("finish");
        int totalWorkflows = Integer.parseInt(args[4]);
        int workflowsPerRun = Integer.parseInt(args[5]);
        long seed = Long.parseLong(args[6]);
        try (InvocationLog log = new InvocationLog(invocations)) {
            new CrashChild(generation, log, seed).run(storeDirectory, finish, totalWorkflows, workflowsPerRun);
        }
        System.exit(0);
    }

    private void run(Path storeDirectory, boolean finish, int totalWorkflows, int workflowsPerRun) throws Exception {
        FileWorkflowStore store = new FileWorkflowStore(storeDirectory);
        OUT.println("open-report truncated=" + store.openReport().truncatedBytes());
        store.openReport().problems().forEach(problem -> OUT.println("store-problem " + problem));
        OUT.println("opened");
        AtomicInteger ids = new AtomicInteger();
        orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(Engines.builder().customStep(STEP_TYPE, this::execute).build())
                .maxConcurrentSteps(6)
                .stepTimeout(Duration.ofSeconds(30))
                .retryPolicy(RetryPolicy.builder()
                        .maxRetries(3)
                        .initialInterval(Duration.ofMillis(20))
                        .build())
                .snapshotInterval(Duration.ofMillis(150))
                .eventRetention(Duration.ofMillis(100))
                .idGenerator(() -> WorkflowId.of("crash-" + ids.incrementAndGet()))
                .build());
        List<WorkflowStatus> existing = orchestrator.listWorkflows(new WorkflowQuery(Set.of(), null, null, 0, 1000));
        ids.set(existing.size());
        for (WorkflowStatus status : existing) {
            continueWorkflow(status);
        }
        int toCreate =
                finish ? totalWorkflows - existing.size() : Math.min(workflowsPerRun, totalWorkflows - existing.size());
        for (int i = 0; i < toCreate; i++) {
            WorkflowStatus created = orchestrator.createWorkflow(definition());
            log.record(new InvocationLog.Entry(
                    InvocationLog.Kind.CREATED, generation, created.workflowId().value(), "", "", 0));
            OUT.println("progress");
            orchestrator.startWorkflow(created.workflowId());
        }
        List<WorkflowStatus> all = orchestrator.listWorkflows(new WorkflowQuery(Set.of(), null, null, 0, 1000));
        List<CompletableFuture<WorkflowStatus>> terminations = new ArrayList<>();
        for (WorkflowStatus status : all) {
            terminations.add(orchestrator.awaitTermination(status.workflowId()));
        }
        CompletableFuture.allOf(terminations.toArray(CompletableFuture[]::new)).join();
        if (!finish) {
            OUT.println("idle");
            new CompletableFuture<Void>().join(); // the parent kills an idle child like any other
        }
        writeResults(storeDirectory.resolveSibling("results"));
        orchestrator.shutdown(Duration.ofSeconds(5));
        OUT.println("finished");
    }

    /** Restarts what a kill interrupted in this process's hands: creation before start, and pauses. */
    private void continueWorkflow(WorkflowStatus status) {
        WorkflowState state = status.state();
        if (state == WorkflowState.CREATED || state == WorkflowState.INITIALIZED) {
            orchestrator.startWorkflow(status.workflowId());
        } else if (state == WorkflowState.PAUSED) {
            orchestrator.resumeWorkflow(status.workflowId());
        }
    }

    /** {@code a} fans out to three parallel steps (one flaky), which join in {@code d}, then {@code e}. */
    private static WorkflowDefinition definition() {
        StepType type = StepType.of(STEP_TYPE);
        return new WorkflowDefinition(
                "crash test workload",
                null,
                List.of(
                        StepDefinition.of("a", type),
                        StepDefinition.of("b", type, "a"),
                        StepDefinition.of("c", type, "a"),
                        StepDefinition.of(FLAKY_STEP, type, "a"),
                        StepDefinition.of("d", type, "b", "c", FLAKY_STEP),
                        StepDefinition.of("e", type, "d")),
                null);
    }

    private CompletionStage<JsonNode> execute(StepInvocation invocation, EngineContext context) {
        InvocationLog.Entry start = new InvocationLog.Entry(
                InvocationLog.Kind.START,
                generation,
                context.workflowId().value(),
                context.stepName(),
                context.idempotencyKey(),
                context.attempt());
        log.record(start);
        OUT.println("progress");
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        int workMillis;
        synchronized (random) {
            workMillis = 5 + random.nextInt(30);
        }
        timers.schedule(
                () -> {
                    if (context.stepName().equals(FLAKY_STEP) && context.attempt() == 1) {
                        result.completeExceptionally(new EngineException(StepError.retryable(
                                StepError.ENGINE_UNAVAILABLE, "flaky step fails its first attempt")));
                        return;
                    }
                    log.record(new InvocationLog.Entry(
                            InvocationLog.Kind.DONE,
                            start.generation(),
                            start.workflow(),
                            start.step(),
                            start.key(),
                            start.attempt()));
                    OUT.println("progress");
                    maybePause(context.workflowId());
                    result.complete(JsonNodeFactory.instance.objectNode().put("generation", generation));
                },
                workMillis,
                TimeUnit.MILLISECONDS);
        return result;
    }

    /** Now and then pauses the workflow and resumes it a little later, so kills also land on paused workflows. */
    private void maybePause(WorkflowId id) {
        boolean pause;
        synchronized (random) {
            pause = random.nextInt(4) == 0;
        }
        if (!pause) {
            return;
        }
        try {
            orchestrator.pauseWorkflow(id);
            timers.schedule(() -> resumeQuietly(id), 20, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // Not running any more (completed, or already paused): nothing to pause.
        }
    }

    private void resumeQuietly(WorkflowId id) {
        try {
            orchestrator.resumeWorkflow(id);
        } catch (RuntimeException e) {
            // Resumed meanwhile; fine.
        }
    }

    /** One line per workflow ({@code WORKFLOW id state}) and per step ({@code STEP id step state key generation}). */
    private void writeResults(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (WorkflowStatus status : orchestrator.listWorkflows(new WorkflowQuery(Set.of(), null, null, 0, 1000))) {
            lines.add("WORKFLOW " + status.workflowId() + " " + status.state());
            for (StepStatus step : status.steps()) {
                JsonNode output = step.output();
                int producedBy = output != null && output.has("generation")
                        ? output.get("generation").asInt()
                        : -1;
                lines.add(String.join(
                        " ",
                        "STEP",
                        status.workflowId().value(),
                        step.name(),
                        step.state().name(),
                        step.idempotencyKey(),
                        Integer.toString(producedBy)));
            }
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
