package io.voltworkflow.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.StepHandler;
import io.voltworkflow.core.engine.StepInvocation;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Many workflows at once on real threads: steps finish inline, on a pool, or after a retry; other threads start,
 * pause, resume and cancel workflows meanwhile. Whatever the interleaving, every step of a completed workflow
 * succeeds exactly once and only after its dependencies, neither the global nor a workflow's own bound is ever
 * exceeded, every workflow's log is gap-free, and a subscriber sees exactly the stored events, in order.
 */
@SuppressWarnings("ThreadPriorityCheck") // yielding varies the interleavings; no outcome depends on it
class ConcurrentInterleavingsTest {
    private static final StepType WORK = StepType.of("work");

    /** Step i depends on a random subset of the steps before it. */
    private static List<StepDefinition> randomDag(Random random, int size) {
        List<StepDefinition> steps = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> deps = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(3) == 0) {
                    deps.add("s" + j);
                }
            }
            steps.add(new StepDefinition("s" + i, WORK, deps, null, null, null));
        }
        return steps;
    }

    /** Checks bounds and dependencies at every invocation; finishes inline, on the pool, or fails once to force a retry. */
    private static final class CheckingSteps implements StepHandler {
        final ExecutorService pool = Executors.newFixedThreadPool(3);
        final Map<WorkflowId, Map<String, List<String>>> dependencies = new ConcurrentHashMap<>();
        final Map<WorkflowId, Integer> workflowBounds = new ConcurrentHashMap<>();
        final Set<String> succeeded = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
        final Map<WorkflowId, AtomicInteger> perWorkflow = new ConcurrentHashMap<>();
        final AtomicInteger global = new AtomicInteger();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final int globalBound;
        /** When false, cancelled attempts may still be winding down while new ones start: bounds are not checked. */
        final boolean checkBounds;

        CheckingSteps(int globalBound, boolean checkBounds) {
            this.globalBound = globalBound;
            this.checkBounds = checkBounds;
        }

        @Override
        public CompletionStage<JsonNode> execute(StepInvocation invocation, EngineContext context) {
            WorkflowId id = context.workflowId();
            String step = context.stepName();
            int now = global.incrementAndGet();
            int mine = perWorkflow.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (checkBounds && now > globalBound) {
                violations.add("global bound " + globalBound + " exceeded: " + now);
            }
            int bound = workflowBounds.get(id);
            if (checkBounds && bound > 0 && mine > bound) {
                violations.add(id + " exceeded its bound " + bound + ": " + mine);
            }
            for (String dep : dependencies.get(id).get(step)) {
                if (!succeeded.contains(id.value() + "/" + dep)) {
                    violations.add(id + "/" + step + " started before its dependency " + dep);
                }
            }
            boolean failFirst = context.attempt() == 1 && Math.floorMod((id.value() + step).hashCode(), 5) == 0;
            CompletableFuture<JsonNode> result = new CompletableFuture<>();
            Runnable finish = () -> {
                perWorkflow.get(id).decrementAndGet();
                global.decrementAndGet();
                if (failFirst) {
                    result.completeExceptionally(
                            new EngineException(StepError.retryable(StepError.NETWORK_ERROR, "flaky")));
                } else {
                    succeeded.add(id.value() + "/" + step);
                    successes
                            .computeIfAbsent(id.value() + "/" + step, k -> new AtomicInteger())
                            .incrementAndGet();
                    result.complete(WorkflowJson.mapper().createObjectNode().put("step", step));
                }
            };
            if (ThreadLocalRandom.current().nextBoolean()) {
                finish.run();
            } else {
                pool.execute(() -> {
                    for (int i = ThreadLocalRandom.current().nextInt(50); i > 0; i--) {
                        Thread.yield();
                    }
                    finish.run();
                });
            }
            return result;
        }
    }

    private static WorkflowOrchestrator open(WorkflowStore store, CheckingSteps steps) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(Engines.builder().customStep("work", steps).build())
                .maxConcurrentSteps(steps.globalBound)
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialInterval(Duration.ofMillis(1))
                        .jitter(0)
                        .build())
                .build());
    }

    @Property(tries = 8, seed = "20261207")
    void concurrentWorkflowsKeepEveryInvariant(
            @ForAll @IntRange(min = 1, max = 8) int globalBound,
            @ForAll @IntRange(min = 0, max = 3) int workflowBound,
            @ForAll long seed)
            throws Exception {
        run(globalBound, workflowBound, seed, false);
    }

    @Property(tries = 6, seed = "20261208")
    void cancellingWhileOthersRunLosesNothing(@ForAll @IntRange(min = 1, max = 8) int globalBound, @ForAll long seed)
            throws Exception {
        run(globalBound, 2, seed, true);
    }

    private static void run(int globalBound, int workflowBound, long seed, boolean cancelSome) throws Exception {
        Random random = new Random(seed);
        CheckingSteps steps = new CheckingSteps(globalBound, !cancelSome);
        InMemoryWorkflowStore store = new InMemoryWorkflowStore();
        Map<WorkflowId, List<EventRecord>> delivered = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (WorkflowOrchestrator orchestrator = open(store, steps)) {
            orchestrator.onAny(event -> delivered
                    .computeIfAbsent(event.workflowId(), k -> new CopyOnWriteArrayList<>())
                    .add(event));
            int count = 24;
            List<WorkflowDefinition> definitions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                WorkflowId id = WorkflowId.of("wf-" + i);
                List<StepDefinition> dag = randomDag(random, 1 + random.nextInt(10));
                Map<String, List<String>> deps = new ConcurrentHashMap<>();
                dag.forEach(s -> deps.put(s.name(), s.dependencies()));
                steps.dependencies.put(id, deps);
                steps.workflowBounds.put(id, workflowBound);
                definitions.add(new WorkflowDefinition(
                        "stress " + i,
                        null,
                        dag,
                        WorkflowOptions.builder()
                                .workflowId(id)
                                .maxConcurrentSteps(workflowBound)
                                .build()));
            }
            List<CompletableFuture<Void>> clientsDone = new ArrayList<>();
            for (WorkflowDefinition definition : definitions) {
                clientsDone.add(CompletableFuture.runAsync(
                        () -> {
                            WorkflowId id =
                                    orchestrator.createWorkflow(definition).workflowId();
                            try {
                                orchestrator.startWorkflow(id);
                            } catch (IllegalTransitionException cancelledFirst) {
                                assertThat(cancelSome).isTrue();
                            }
                        },
                        clients));
            }
            long chaosSeed = random.nextLong();
            clientsDone.add(CompletableFuture.runAsync(
                    () -> chaos(orchestrator, definitions, new Random(chaosSeed), cancelSome), clients));
            CompletableFuture.allOf(clientsDone.toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            for (WorkflowDefinition definition : definitions) {
                WorkflowId id = definition.options().workflowId().orElseThrow();
                WorkflowStatus end = orchestrator.awaitTermination(id).get(60, TimeUnit.SECONDS);
                if (!cancelSome) {
                    assertThat(end.state()).as(id.value()).isEqualTo(WorkflowState.COMPLETED);
                }
                if (end.state() == WorkflowState.COMPLETED) {
                    for (StepDefinition step : definition.steps()) {
                        assertThat(steps.successes.get(id.value() + "/" + step.name()))
                                .as(id + "/" + step.name())
                                .hasValue(1);
                    }
                } else {
                    assertThat(end.state()).isEqualTo(WorkflowState.CANCELLED);
                }
            }
            assertThat(steps.violations).isEmpty();
            Map<WorkflowId, List<EventRecord>> stored = new ConcurrentHashMap<>();
            for (WorkflowDefinition definition : definitions) {
                WorkflowId id = definition.options().workflowId().orElseThrow();
                List<EventRecord> records = store.read(id, 0, 10_000);
                for (int i = 0; i < records.size(); i++) {
                    assertThat(records.get(i).sequence())
                            .as("%s event %d", id, i)
                            .isEqualTo(i + 1);
                }
                stored.put(id, records);
            }
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() ->
                            stored.forEach((id, records) -> assertThat(delivered.getOrDefault(id, List.of()))
                                    .as(id.value())
                                    .hasSameSizeAs(records)));
            stored.forEach((id, records) -> assertThat(delivered.get(id)).containsExactlyElementsOf(records));
        } finally {
            clients.shutdownNow();
            steps.pool.shutdownNow();
        }
    }

    /** Pauses and resumes random workflows (and cancels some) while they run; refused transitions are fine. */
    private static void chaos(
            WorkflowOrchestrator orchestrator,
            List<WorkflowDefinition> definitions,
            Random random,
            boolean cancelSome) {
        for (int i = 0; i < 40; i++) {
            WorkflowId id = definitions
                    .get(random.nextInt(definitions.size()))
                    .options()
                    .workflowId()
                    .orElseThrow();
            try {
                if (cancelSome && random.nextInt(4) == 0) {
                    orchestrator.cancelWorkflow(id, "stress cancel");
                } else {
                    orchestrator.pauseWorkflow(id);
                    orchestrator.resumeWorkflow(id);
                }
            } catch (IllegalTransitionException | WorkflowNotFoundException expected) {
                // The workflow was not created yet, or already finished, or the other client changed it first.
            }
        }
    }
}
