package io.voltworkflow.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.plan.StandardPlan;
import io.voltworkflow.core.status.OperationalStats;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrchestratorTest {
    private static final StepType WORK = StepType.of("work");
    private final VirtualTimeSource clock = new VirtualTimeSource();
    private final InMemoryWorkflowStore store = new InMemoryWorkflowStore();
    private final GatedSteps gated = new GatedSteps();
    private final AtomicInteger ids = new AtomicInteger();
    private WorkflowOrchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private OrchestratorOptions.Builder options(Engines engines) {
        return OrchestratorOptions.builder()
                .store(store)
                .engines(engines)
                .timeSource(clock)
                .random(() -> 0.5)
                .idGenerator(() -> WorkflowId.of("wf-" + ids.incrementAndGet()))
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialInterval(Duration.ofSeconds(1))
                        .jitter(0)
                        .build());
    }

    private WorkflowOrchestrator open(OrchestratorOptions.Builder builder) {
        orchestrator = WorkflowOrchestrator.create(builder.build());
        return orchestrator;
    }

    private Engines gatedEngines() {
        return Engines.builder().customStep("work", gated).build();
    }

    private static WorkflowDefinition dag(StepDefinition... steps) {
        return new WorkflowDefinition("custom dag", null, List.of(steps), WorkflowOptions.DEFAULTS);
    }

    private static StepDefinition work(String name, String... deps) {
        return StepDefinition.of(name, WORK, deps);
    }

    @Test
    void standardPlanRunsEndToEndAndGrowsPerTask() {
        FakeEngines fake = new FakeEngines(3, true);
        open(options(fake.engines()));
        WorkflowStatus created =
                orchestrator.createWorkflow("Build a REST API", Map.of("language", "Java"), WorkflowOptions.DEFAULTS);
        assertThat(created.state()).isEqualTo(WorkflowState.INITIALIZED);
        assertThat(created.steps())
                .extracting(s -> s.name())
                .containsExactly(StandardPlan.ANALYSIS, StandardPlan.TASK_CREATION, StandardPlan.COMPLETION);

        orchestrator.startWorkflow(created.workflowId());
        WorkflowStatus done = orchestrator.getWorkflowStatus(created.workflowId());

        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(done.steps()).hasSize(3 + 2 * 3).allMatch(s -> s.state() == StepState.COMPLETED);
        assertThat(done.progress().percent()).isEqualTo(100.0);
        assertThat(done.step("Workflow Completion").orElseThrow().dependencies())
                .contains("Validate Task T1", "Validate Task T2", "Validate Task T3");
        assertThat(done.step("Generate Code for Task T2").orElseThrow().dependencies())
                .contains("Validate Task T1");
        assertThat(done.result().path("tasks")).hasSize(3);
        assertThat(done.result()
                        .path("tasks")
                        .get(0)
                        .path("validation")
                        .path("passed")
                        .asBoolean())
                .isTrue();
        assertThat(fake.calls).filteredOn(c -> c.startsWith("submit")).hasSize(3);
        assertThat(done.history())
                .extracting(t -> t.to())
                .containsExactly(
                        WorkflowState.CREATED,
                        WorkflowState.INITIALIZED,
                        WorkflowState.RUNNING,
                        WorkflowState.COMPLETED);
    }

    @Test
    void completionDeliversEveryTaskInPlanOrderWithItsCodeValidationAndTheWorkflowsUsage() {
        FakeEngines fake = new FakeEngines(2, true);
        List<io.voltworkflow.core.engine.DeliveryRequest> requests = new CopyOnWriteArrayList<>();
        Engines engines = fake.engines().toBuilder()
                .delivery((request, context) -> {
                    requests.add(request);
                    return CompletableFuture.completedFuture(new io.voltworkflow.core.engine.DeliveryResult(
                            "volt/" + context.workflowId(),
                            "abc123",
                            "https://forge.example/pr/1",
                            false,
                            "pull request https://forge.example/pr/1"));
                })
                .build();
        open(options(engines));
        WorkflowId id = orchestrator
                .createWorkflow("Build a REST API", Map.of(), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);

        WorkflowStatus done = orchestrator.getWorkflowStatus(id);
        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(requests).hasSize(1);
        io.voltworkflow.core.engine.DeliveryRequest request = requests.get(0);
        assertThat(request.requirementText()).isEqualTo("Build a REST API");
        assertThat(request.tasks()).extracting(t -> t.task().id()).containsExactly("T1", "T2");
        assertThat(request.tasks().get(0).code().reference()).isEqualTo("patch://job-T1");
        assertThat(request.tasks().get(1).validation().passed()).isTrue();
        assertThat(request.allValidated()).isTrue();
        assertThat(done.result().path("delivery").path("pullRequestUrl").asText())
                .isEqualTo("https://forge.example/pr/1");
        assertThat(done.result().path("delivery").path("branch").asText()).isEqualTo("volt/" + id);
        assertThat(done.result().path("summary").asText())
                .isEqualTo("2 tasks, 2 validated; pull request https://forge.example/pr/1");
    }

    @Test
    void aFailedValidationNamesTheFailingCheckFirst() {
        assertThat(failedValidationMessage(new io.voltworkflow.core.engine.ValidationResult(
                        false,
                        3,
                        2,
                        0,
                        0,
                        "2 checks failed",
                        List.of(
                                "FAILED scaffold-check.volt-scaffold/wf/T1.md: no title line",
                                "FAILED other.check: broken"),
                        null)))
                .isEqualTo("validation of task T1 failed: "
                        + "FAILED scaffold-check.volt-scaffold/wf/T1.md: no title line (and 1 more finding); 2 failures, 0 errors of "
                        + "3 tests — 2 checks failed\nFAILED other.check: broken");
    }

    @Test
    void aFailedValidationThatCountsNoTestsSaysNothingAboutTests() {
        assertThat(failedValidationMessage(new io.voltworkflow.core.engine.ValidationResult(
                        false,
                        0,
                        0,
                        0,
                        0,
                        "validation command exited with code 1",
                        List.of("make: *** [test] Error 1"),
                        null)))
                .isEqualTo(
                        "validation of task T1 failed: make: *** [test] Error 1 — validation command exited with code 1");
        assertThat(failedValidationMessage(new io.voltworkflow.core.engine.ValidationResult(
                        false, 0, 0, 0, 0, "validation command exited with code 1", List.of(), null)))
                .isEqualTo("validation of task T1 failed: validation command exited with code 1");
    }

    private String failedValidationMessage(io.voltworkflow.core.engine.ValidationResult outcome) {
        FakeEngines fake = new FakeEngines(1, false) {
            @Override
            public java.util.concurrent.CompletionStage<io.voltworkflow.core.engine.ValidationResult> validate(
                    io.voltworkflow.core.engine.ValidationRequest request,
                    io.voltworkflow.core.engine.EngineContext context) {
                return java.util.concurrent.CompletableFuture.completedFuture(outcome);
            }
        };
        close();
        open(options(fake.engines()));
        WorkflowId id = orchestrator
                .createWorkflow(
                        "Build it",
                        Map.of(),
                        WorkflowOptions.builder().maxRepairRounds(0).build())
                .workflowId();
        orchestrator.startWorkflow(id);
        return orchestrator.getWorkflowStatus(id).error().message();
    }

    @Test
    void aValidationGetsTheCodeOfEveryTaskItDependsOnDependenciesFirst() {
        Map<String, List<String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        FakeEngines fake = new FakeEngines(4, false) {
            @Override
            public List<io.voltworkflow.core.model.TaskSpec> tasks() {
                return List.of(
                        task("T1", List.of()),
                        task("T2", List.of()),
                        task("T3", List.of("T1")),
                        task("T4", List.of("T3", "T2")));
            }

            @Override
            public java.util.concurrent.CompletionStage<io.voltworkflow.core.engine.ValidationResult> validate(
                    io.voltworkflow.core.engine.ValidationRequest request,
                    io.voltworkflow.core.engine.EngineContext context) {
                seen.put(
                        request.task().id(),
                        request.dependencies().stream()
                                .map(d -> d.taskId() + "=" + d.code().summary())
                                .toList());
                return super.validate(request, context);
            }
        };
        close();
        open(options(fake.engines()));
        WorkflowId id = orchestrator
                .createWorkflow("Build it", Map.of(), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);

        assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(seen.get("T1")).isEmpty();
        assertThat(seen.get("T2")).isEmpty();
        assertThat(seen.get("T3")).containsExactly("T1=code for job-T1");
        assertThat(seen.get("T4"))
                .containsExactlyInAnyOrder("T1=code for job-T1", "T2=code for job-T2", "T3=code for job-T3");
        assertThat(seen.get("T4").indexOf("T1=code for job-T1"))
                .isLessThan(seen.get("T4").indexOf("T3=code for job-T3"));
    }

    private static io.voltworkflow.core.model.TaskSpec task(String id, List<String> dependsOn) {
        return new io.voltworkflow.core.model.TaskSpec(id, "Task " + id, "", dependsOn, List.of(), List.of());
    }

    @Test
    void invalidDefinitionsAreRefusedWholeAndNameTheProblem() {
        open(options(gatedEngines()));
        assertThatThrownBy(() -> orchestrator.createWorkflow(dag(work("a", "b"), work("b", "c"), work("c", "a"))))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("dependency cycle")
                .hasMessageContaining("a -> b -> c -> a");
        assertThatThrownBy(() -> orchestrator.createWorkflow(dag(work("a", "ghost"))))
                .hasMessageContaining("UNKNOWN_DEPENDENCY at step 'a'");
        assertThatThrownBy(() -> orchestrator.createWorkflow(dag(work("a"), work("a"))))
                .hasMessageContaining("DUPLICATE_STEP at step 'a'");
        assertThatThrownBy(() -> orchestrator.createWorkflow(" ", Map.of(), WorkflowOptions.DEFAULTS))
                .hasMessageContaining("EMPTY_REQUIREMENT");
        assertThatThrownBy(() -> orchestrator.createWorkflow("x".repeat(100_001), Map.of(), WorkflowOptions.DEFAULTS))
                .hasMessageContaining("REQUIREMENT_TOO_LONG");
        assertThatThrownBy(
                        () -> orchestrator.createWorkflow("ok", Map.of("bad", new Object()), WorkflowOptions.DEFAULTS))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("projectContext");
        assertThat(orchestrator.listWorkflows(io.voltworkflow.core.status.WorkflowQuery.ALL))
                .isEmpty();
    }

    @Test
    void dependenciesOrderExecutionAndCriticalPathGoesFirst() {
        open(options(gatedEngines()).maxConcurrentSteps(1));
        // "short" is a lone step; "long1 -> long2 -> long3" is the critical path: it must be dispatched first.
        WorkflowStatus wf = orchestrator.createWorkflow(
                dag(work("short"), work("long1"), work("long2", "long1"), work("long3", "long2")));
        orchestrator.startWorkflow(wf.workflowId());
        assertThat(gated.runningSteps()).containsExactly("long1");
        gated.complete("long1");
        assertThat(gated.runningSteps()).containsExactly("long2");
        gated.complete("long2");
        // long3 and short now tie (one step left on each path): first come, first served.
        assertThat(gated.runningSteps()).containsExactly("short");
        gated.complete("short");
        gated.complete("long3");
        assertThat(orchestrator.getWorkflowStatus(wf.workflowId()).state()).isEqualTo(WorkflowState.COMPLETED);
    }

    @Test
    void perWorkflowBoundAndSequentialMode() {
        open(options(gatedEngines()).enableParallelExecution(false));
        WorkflowStatus wf = orchestrator.createWorkflow(dag(work("a"), work("b"), work("c")));
        orchestrator.startWorkflow(wf.workflowId());
        assertThat(gated.runningSteps()).hasSize(1);
        gated.complete(gated.runningSteps().get(0));
        gated.complete(gated.runningSteps().get(0));
        gated.complete(gated.runningSteps().get(0));
        assertThat(gated.maxConcurrent()).isEqualTo(1);
        assertThat(orchestrator.getWorkflowStatus(wf.workflowId()).state()).isEqualTo(WorkflowState.COMPLETED);
    }

    @Test
    void retryableErrorsBackOffOnTheVirtualClockAndHonourRetryAfter() {
        open(options(gatedEngines()));
        WorkflowStatus wf = orchestrator.createWorkflow(dag(work("flaky")));
        WorkflowId id = wf.workflowId();
        orchestrator.startWorkflow(id);

        gated.fail("flaky", StepError.retryable(StepError.NETWORK_ERROR, "reset"));
        assertThat(orchestrator
                        .getWorkflowStatus(id)
                        .step("flaky")
                        .orElseThrow()
                        .state())
                .isEqualTo(StepState.RETRY_WAIT);
        clock.advance(Duration.ofMillis(999));
        assertThat(gated.isRunning("flaky")).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(gated.isRunning("flaky")).isTrue();

        gated.fail("flaky", StepError.retryableAfter(StepError.RATE_LIMITED, "429", Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(29));
        assertThat(gated.isRunning("flaky")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(gated.isRunning("flaky")).isTrue();
        gated.complete("flaky");

        WorkflowStatus done = orchestrator.getWorkflowStatus(id);
        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(done.step("flaky").orElseThrow().attempts()).isEqualTo(3);
        List<EventRecord> retries = orchestrator.events(id, 0, 1000).stream()
                .filter(e -> e.type() == EventType.STEP_RETRYING)
                .toList();
        assertThat(retries)
                .extracting(e -> ((io.voltworkflow.core.event.WorkflowEvent.StepRetrying) e.event()).delayMs())
                .containsExactly(1000L, 30_000L);
    }

    @Test
    void anUnclassifiedEngineExceptionIsRetriedLikeAnIoFailureButAnErrorIsNot() {
        open(options(gatedEngines()));
        WorkflowId id = orchestrator
                .createWorkflow(dag(work("walks-files"), work("runs-out")))
                .workflowId();
        orchestrator.startWorkflow(id);

        gated.failWith(
                "walks-files", new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("report.tmp")));
        WorkflowStatus retrying = orchestrator.getWorkflowStatus(id);
        assertThat(retrying.step("walks-files").orElseThrow().state()).isEqualTo(StepState.RETRY_WAIT);
        assertThat(retrying.step("walks-files").orElseThrow().error().retryable())
                .isTrue();
        assertThat(retrying.step("walks-files").orElseThrow().error().message())
                .contains("failed unexpectedly: UncheckedIOException")
                .contains("report.tmp");
        clock.advance(Duration.ofSeconds(1));
        gated.complete("walks-files");

        gated.failWith("runs-out", new StackOverflowError("deep"));
        WorkflowStatus failed = orchestrator.getWorkflowStatus(id);
        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().retryable()).isFalse();
        assertThat(failed.error().recoverable()).isTrue();
    }

    @Test
    void nonRetryableErrorFailsAtOnceAndResumeRerunsOnlyFailedSteps() {
        open(options(gatedEngines()));
        WorkflowId id = orchestrator
                .createWorkflow(dag(work("a"), work("b", "a"), work("c", "a")))
                .workflowId();
        orchestrator.startWorkflow(id);
        gated.complete("a");
        gated.fail("b", StepError.recoverable(StepError.VALIDATION_FAILED, "tests failed"));

        WorkflowStatus failed = orchestrator.getWorkflowStatus(id);
        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().code()).isEqualTo(StepError.VALIDATION_FAILED);
        assertThat(failed.step("c").orElseThrow().state()).isEqualTo(StepState.CANCELLED);
        assertThat(gated.isRunning("c")).isFalse();

        orchestrator.resumeWorkflow(id);
        assertThat(gated.runningSteps()).containsExactly("b", "c");
        gated.complete("b");
        gated.complete("c");
        assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(gated.invocations()).filteredOn(i -> i.step().equals("a")).hasSize(1);
    }

    @Test
    void timeoutsCancelTheAttemptAndRetry() {
        open(options(gatedEngines()).stepTimeout(Duration.ofSeconds(10)));
        WorkflowId id = orchestrator.createWorkflow(dag(work("slow"))).workflowId();
        orchestrator.startWorkflow(id);
        GatedSteps.Invocation first = gated.invocations().get(0);
        clock.advance(Duration.ofSeconds(10));
        assertThat(first.context().cancellation().isCancelled()).isTrue();
        assertThat(first.context().cancellation().reason())
                .isEqualTo("the attempt ended with TIMEOUT: step 'slow' did not finish within 10000 ms");
        assertThat(orchestrator
                        .getWorkflowStatus(id)
                        .step("slow")
                        .orElseThrow()
                        .error()
                        .code())
                .isEqualTo(StepError.TIMEOUT);
        clock.advance(Duration.ofSeconds(1));
        assertThat(gated.invocations()).hasSize(2);
        assertThat(gated.invocations().get(1).idempotencyKey()).isEqualTo(first.idempotencyKey());
    }

    @Test
    void pauseLetsRunningStepsFinishThenResumeContinues() {
        open(options(gatedEngines()));
        WorkflowId id =
                orchestrator.createWorkflow(dag(work("a"), work("b", "a"))).workflowId();
        orchestrator.startWorkflow(id);
        CompletableFuture<WorkflowStatus> paused = orchestrator.pauseWorkflow(id);
        assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.PAUSED);
        assertThat(paused).isNotDone();
        gated.complete("a");
        assertThat(paused).isCompleted();
        assertThat(gated.isRunning("b")).isFalse();
        orchestrator.resumeWorkflow(id);
        gated.complete("b");
        assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
    }

    @Test
    void cancelInterruptsRunningStepsAndIllegalTransitionsChangeNothing() {
        open(options(gatedEngines()));
        WorkflowId id = orchestrator.createWorkflow(dag(work("a"), work("b"))).workflowId();
        assertThatThrownBy(() -> orchestrator.resumeWorkflow(id))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("cannot resume workflow 'wf-1': it is initialized");
        orchestrator.startWorkflow(id);
        List<GatedSteps.Invocation> running = gated.invocations();
        WorkflowStatus cancelled = orchestrator.cancelWorkflow(id, "user changed their mind");
        assertThat(cancelled.state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(running).allMatch(i -> i.context().cancellation().isCancelled());
        assertThat(cancelled.steps()).allMatch(s -> s.state() == StepState.CANCELLED);
        long lastSequence = cancelled.lastSequence();
        assertThatThrownBy(() -> orchestrator.startWorkflow(id)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> orchestrator.cancelWorkflow(id, "again"))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(orchestrator.getWorkflowStatus(id).lastSequence()).isEqualTo(lastSequence);
        assertThatThrownBy(() -> orchestrator.getWorkflowStatus(WorkflowId.of("nope")))
                .isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void deadlineFailsTheWorkflow() {
        open(options(gatedEngines()));
        WorkflowOptions withDeadline =
                WorkflowOptions.builder().deadline(Duration.ofMinutes(1)).build();
        WorkflowId id = orchestrator
                .createWorkflow(dag(work("a")).withOptions(withDeadline))
                .workflowId();
        orchestrator.startWorkflow(id);
        clock.advance(Duration.ofMinutes(1));
        WorkflowStatus status = orchestrator.getWorkflowStatus(id);
        assertThat(status.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(status.error().code()).isEqualTo(StepError.DEADLINE_EXCEEDED);
    }

    @Test
    void budgetStopsFurtherEngineCalls() {
        open(options(gatedEngines()));
        WorkflowOptions budget =
                WorkflowOptions.builder().budget(new Budget(100, 0)).build();
        WorkflowId id = orchestrator
                .createWorkflow(dag(work("a"), work("b", "a")).withOptions(budget))
                .workflowId();
        orchestrator.startWorkflow(id);
        GatedSteps.Invocation a = gated.invocations().get(0);
        a.context().recordUsage(new Usage(80, 40, 0.01));
        assertThat(a.context().budgetExhausted()).isTrue();
        gated.complete("a");
        WorkflowStatus status = orchestrator.getWorkflowStatus(id);
        assertThat(status.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(status.error().code()).isEqualTo(StepError.BUDGET_EXHAUSTED);
        assertThat(status.usage().totalTokens()).isEqualTo(120);
        assertThat(gated.invocations()).hasSize(1);
    }

    @Test
    void eventsHaveGapFreeSequencesAndSubscribersResumeFromAnyPoint() {
        open(options(new FakeEngines(2, false).engines()));
        List<EventRecord> live = new CopyOnWriteArrayList<>();
        Subscription all = orchestrator.onAny(live::add);
        List<EventRecord> completions = new CopyOnWriteArrayList<>();
        orchestrator.on(EventType.WORKFLOW_COMPLETED, completions::add);
        WorkflowId id = orchestrator
                .createWorkflow("req", Map.of(), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);

        List<EventRecord> stored = orchestrator.events(id, 0, 1000);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(stored.get(i).sequence()).isEqualTo(i + 1);
        }
        await().until(() -> live.size() == stored.size() && completions.size() == 1);
        assertThat(live).isEqualTo(stored);
        assertThat(all.missedEvents()).isZero();

        List<EventRecord> fromFive = new CopyOnWriteArrayList<>();
        orchestrator.subscribe(id, 5, fromFive::add);
        await().until(() -> fromFive.size() == stored.size() - 5);
        assertThat(fromFive).isEqualTo(stored.subList(5, stored.size()));
    }

    @Test
    void idempotentCreateWithCallerChosenId() {
        open(options(gatedEngines()));
        WorkflowOptions chosen =
                WorkflowOptions.builder().workflowId(WorkflowId.of("build-42")).build();
        WorkflowStatus first = orchestrator.createWorkflow(dag(work("a")).withOptions(chosen));
        WorkflowStatus again = orchestrator.createWorkflow(dag(work("a")).withOptions(chosen));
        assertThat(again.lastSequence()).isEqualTo(first.lastSequence());
        WorkflowDefinition other = new WorkflowDefinition("another requirement", null, List.of(work("a")), chosen);
        assertThatThrownBy(() -> orchestrator.createWorkflow(other)).isInstanceOf(DuplicateWorkflowException.class);
    }

    @Test
    void aRetriedCreateReturnsTheWorkflowWhateverItsStateAndADifferentDefinitionConflicts() {
        open(options(gatedEngines()).snapshotInterval(Duration.ofMinutes(1)).eventRetention(Duration.ofDays(1)));
        WorkflowOptions chosen = WorkflowOptions.builder()
                .workflowId(WorkflowId.of("build-43"))
                .labels(Map.of("team", "a", "ci", "yes"))
                .build();
        com.fasterxml.jackson.databind.node.ObjectNode context = io.voltworkflow.core.json.WorkflowJson.mapper()
                .createObjectNode()
                .put("language", "Java")
                .put("framework", "none");
        WorkflowDefinition definition = new WorkflowDefinition("custom dag", context, List.of(work("a")), chosen);
        WorkflowId id = orchestrator.createWorkflow(definition).workflowId();
        orchestrator.startWorkflow(id);
        gated.complete("a");
        assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
        // Snapshot, then compact the creating event away, then restart: the retry is still recognised.
        clock.advance(Duration.ofDays(2));
        assertThat(store.firstRetainedSequence(id)).isGreaterThan(1);
        orchestrator.close();
        open(options(gatedEngines()));

        com.fasterxml.jackson.databind.node.ObjectNode reordered = io.voltworkflow.core.json.WorkflowJson.mapper()
                .createObjectNode()
                .put("framework", "none")
                .put("language", "Java");
        WorkflowStatus again = orchestrator.createWorkflow(
                new WorkflowDefinition("custom dag", reordered, List.of(work("a")), chosen));
        assertThat(again.state()).isEqualTo(WorkflowState.COMPLETED);
        WorkflowOptions otherLabels = WorkflowOptions.builder()
                .workflowId(WorkflowId.of("build-43"))
                .labels(Map.of("team", "b"))
                .build();
        assertThatThrownBy(() -> orchestrator.createWorkflow(definition.withOptions(otherLabels)))
                .isInstanceOf(DuplicateWorkflowException.class)
                .hasMessageContaining("different definition");
        assertThatThrownBy(() -> orchestrator.createWorkflow(
                        new WorkflowDefinition("custom dag", context, List.of(work("a"), work("b", "a")), chosen)))
                .isInstanceOf(DuplicateWorkflowException.class);
    }

    @Test
    void restartReissuesRunningStepsWithTheSameKeyAndNeverRerunsCompletedOnes() {
        open(options(gatedEngines()));
        WorkflowId id = orchestrator
                .createWorkflow(dag(work("a"), work("b", "a"), work("c", "a")))
                .workflowId();
        orchestrator.startWorkflow(id);
        gated.complete("a");
        String keyOfB = gated.invocations().stream()
                .filter(i -> i.step().equals("b"))
                .findFirst()
                .orElseThrow()
                .idempotencyKey();
        orchestrator.close();

        GatedSteps afterRestart = new GatedSteps();
        orchestrator = WorkflowOrchestrator.create(
                options(Engines.builder().customStep("work", afterRestart).build())
                        .build());
        assertThat(afterRestart.runningSteps()).containsExactly("b", "c");
        GatedSteps.Invocation b = afterRestart.invocations().stream()
                .filter(i -> i.step().equals("b"))
                .findFirst()
                .orElseThrow();
        assertThat(b.idempotencyKey()).isEqualTo(keyOfB);
        assertThat(b.attempt()).isEqualTo(1);
        afterRestart.complete("b");
        afterRestart.complete("c");
        assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(afterRestart.invocations()).noneMatch(i -> i.step().equals("a"));
        List<EventRecord> events = orchestrator.events(id, 0, 1000);
        assertThat(events)
                .filteredOn(e ->
                        e.event() instanceof io.voltworkflow.core.event.WorkflowEvent.StepStarted s && s.reissued())
                .hasSize(2);
    }

    @Test
    void snapshotsCompactTheLogAndRestoreIdenticalState() {
        open(options(new FakeEngines(2, true).engines()).eventRetention(Duration.ofDays(1)));
        WorkflowId id = orchestrator
                .createWorkflow("req", Map.of("k", "v"), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);
        WorkflowStatus before = orchestrator.getWorkflowStatus(id);
        clock.advance(Duration.ofDays(2));
        assertThat(store.firstRetainedSequence(id)).isGreaterThan(1);
        orchestrator.close();
        orchestrator = WorkflowOrchestrator.create(
                options(new FakeEngines(2, true).engines()).build());
        assertThat(orchestrator.getWorkflowStatus(id)).isEqualTo(before);
    }

    @Test
    void analyticsAndMetricsSummariseRuns() {
        open(options(gatedEngines()));
        WorkflowId ok = orchestrator.createWorkflow(dag(work("a"))).workflowId();
        WorkflowId bad = orchestrator.createWorkflow(dag(work("b"))).workflowId();
        orchestrator.startWorkflow(ok);
        orchestrator.startWorkflow(bad);
        clock.advance(Duration.ofMillis(250));
        gated.complete("a");
        gated.fail("b", StepError.fatal(StepError.INVALID_INPUT, "no"));
        var analytics = orchestrator.getWorkflowAnalytics();
        assertThat(analytics.totalWorkflows()).isEqualTo(2);
        assertThat(analytics.completedWorkflows()).isEqualTo(1);
        assertThat(analytics.failedWorkflows()).isEqualTo(1);
        assertThat(analytics.stepSuccessRate()).isEqualTo(0.5);
        assertThat(analytics.stepLatency().get("work").p50Ms()).isEqualTo(250);
        var metrics = orchestrator.getWorkflowMetrics(ok);
        assertThat(metrics.percent()).isEqualTo(100.0);
        assertThat(metrics.stepDurationsMs()).containsEntry("a", 250L);
    }

    @Test
    void operationalStatsCountAttemptsSpendingBudgetPressureAndSilence() {
        open(options(gatedEngines()).stepTimeout(Duration.ofHours(1)));
        WorkflowOptions budget =
                WorkflowOptions.builder().budget(new Budget(1000, 0)).build();
        WorkflowId spending = orchestrator
                .createWorkflow(dag(work("a"), work("b", "a")).withOptions(budget))
                .workflowId();
        WorkflowId failing = orchestrator.createWorkflow(dag(work("c"))).workflowId();
        orchestrator.startWorkflow(spending);
        orchestrator.startWorkflow(failing);
        gated.invocations().get(0).context().recordUsage(new Usage(500, 250, 0.25));
        clock.advance(Duration.ofMillis(300));
        gated.complete("a");
        gated.fail("c", StepError.fatal(StepError.INVALID_INPUT, "no"));
        clock.advance(Duration.ofMinutes(20));

        var stats = orchestrator.operationalStats();
        var work = stats.stepTypes().get("work");
        assertThat(work.succeeded()).isEqualTo(1);
        assertThat(work.failed()).isEqualTo(1);
        assertThat(work.durationSumMs()).isEqualTo(600);
        // Both attempts took 300 ms: the bucket up to 0.5 s, the fifth bound.
        assertThat(OperationalStats.DURATION_BUCKETS_SECONDS.get(4)).isEqualTo(0.5);
        assertThat(work.durationBuckets().get(4)).isEqualTo(2);
        assertThat(work.durationBuckets().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(2);
        assertThat(stats.usage()).isEqualTo(new Usage(500, 250, 0.25));
        assertThat(stats.maxBudgetUsedRatio()).isEqualTo(0.75);
        // b has been running for 20 minutes without an event; the failed workflow does not count.
        assertThat(stats.longestRunningIdle()).isEqualTo(Duration.ofMinutes(20));
        assertThat(stats.storeAppendFailures()).isZero();

        gated.complete("b");
        var finished = orchestrator.operationalStats();
        assertThat(finished.longestRunningIdle()).isZero();
        assertThat(finished.maxBudgetUsedRatio()).isZero();
        assertThat(finished.usage()).isEqualTo(new Usage(500, 250, 0.25));
    }

    @Test
    void invalidTaskPlanIsARetryableStepError() {
        FakeEngines fake = new FakeEngines(0, false);
        open(options(fake.engines()).retryPolicy(RetryPolicy.NO_RETRY));
        WorkflowId id = orchestrator
                .createWorkflow("req", Map.of(), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);
        WorkflowStatus status = orchestrator.getWorkflowStatus(id);
        assertThat(status.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(status.error().code()).isEqualTo(StepError.INVALID_TASK_PLAN);
        assertThat(status.error().message()).contains("no tasks");
    }

    @Test
    void missingEngineFailsTheStepWithAClearError() {
        open(options(Engines.builder().build()).retryPolicy(RetryPolicy.NO_RETRY));
        WorkflowId id = orchestrator
                .createWorkflow("req", Map.of(), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);
        assertThat(orchestrator.getWorkflowStatus(id).error().message())
                .isEqualTo("no NLP engine (analysis) is configured");
    }

    @Test
    void environmentConfigurationIsValidatedAndEveryProblemNamed() {
        OrchestratorOptions parsed = OrchestratorOptions.fromEnvironment(Map.of(
                        "WORKFLOW_MAX_CONCURRENT_STEPS",
                        "4",
                        "WORKFLOW_STEP_TIMEOUT",
                        "60000",
                        "WORKFLOW_DEFAULT_MAX_RETRIES",
                        "2",
                        "EVENT_RETENTION_DAYS",
                        "7",
                        "WORKFLOW_REAL_TIME_UPDATES",
                        "false"))
                .build();
        assertThat(parsed.maxConcurrentSteps()).isEqualTo(4);
        assertThat(parsed.stepTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(parsed.retryPolicy().maxAttempts()).isEqualTo(3);
        assertThat(parsed.eventRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(parsed.realTimeUpdates()).isFalse();
        assertThatThrownBy(() -> OrchestratorOptions.fromEnvironment(Map.of(
                        "WORKFLOW_MAX_CONCURRENT_STEPS",
                        "zero",
                        "EVENT_SYSTEM_ENABLED",
                        "maybe",
                        "WORKFLOW_STEP_TIMEOUT",
                        "-5")))
                .hasMessageContaining("WORKFLOW_MAX_CONCURRENT_STEPS='zero' is not a whole number")
                .hasMessageContaining("EVENT_SYSTEM_ENABLED='maybe' must be true or false")
                .hasMessageContaining("WORKFLOW_STEP_TIMEOUT='-5' must be a positive number of milliseconds");
    }

    @Test
    void manyWorkflowsShareTheGlobalBound() {
        open(options(gatedEngines()).maxConcurrentSteps(3));
        List<WorkflowId> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WorkflowId id = orchestrator.createWorkflow(dag(work("s" + i))).workflowId();
            orchestrator.startWorkflow(id);
            started.add(id);
        }
        assertThat(gated.runningSteps()).hasSize(3);
        while (!gated.runningSteps().isEmpty()) {
            gated.complete(gated.runningSteps().get(0));
        }
        assertThat(gated.maxConcurrent()).isEqualTo(3);
        assertThat(started).allMatch(id -> orchestrator.getWorkflowStatus(id).state() == WorkflowState.COMPLETED);
    }
}
