package io.voltworkflow.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.RepairPolicy;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.RepairStats;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepairLoopTest {
    private static final String CODEGEN = "Generate Code for Task T1";
    private static final String VALIDATION = "Validate Task T1";

    private final VirtualTimeSource clock = new VirtualTimeSource();

    /**
     * A model that writes failing code until it is told what failed: validation fails until the code was generated
     * with repair feedback {@code fixedInRound} times. Records what each code generation request carried.
     */
    static class LearningEngines extends FakeEngines {
        final List<CodegenRequest> requests = new CopyOnWriteArrayList<>();
        final List<String> keys = new CopyOnWriteArrayList<>();
        final List<String> polls = new CopyOnWriteArrayList<>();
        private final int fixedInRound;
        private final Usage perCodegen;
        private final Usage perValidation;
        volatile boolean hangInRepair;

        LearningEngines(int fixedInRound, Usage perCodegen) {
            this(fixedInRound, perCodegen, Usage.NONE);
        }

        LearningEngines(int fixedInRound, Usage perCodegen, Usage perValidation) {
            super(1, false);
            this.fixedInRound = fixedInRound;
            this.perCodegen = perCodegen;
            this.perValidation = perValidation;
        }

        @Override
        public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
            requests.add(request);
            keys.add(context.idempotencyKey());
            context.recordUsage(perCodegen);
            int round = request.repair() == null ? 0 : request.repair().round();
            return CompletableFuture.completedFuture(new CodegenJob("round-" + round, "learning"));
        }

        @Override
        public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
            polls.add(job.jobId());
            if (hangInRepair && !job.jobId().equals("round-0")) {
                return CompletableFuture.completedFuture(new CodegenPoll.Running("thinking", Duration.ofMinutes(1)));
            }
            return CompletableFuture.completedFuture(new CodegenPoll.Succeeded(new CodegenResult(
                    "code " + job.jobId(), "--- a/x\n+++ b/x\n", List.of("x"), job.jobId(), "learning", null)));
        }

        @Override
        public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
            context.recordUsage(perValidation);
            String reference = request.code().reference();
            boolean passed = reference.equals("round-" + fixedInRound);
            return CompletableFuture.completedFuture(
                    passed
                            ? new ValidationResult(true, 2, 0, 0, 0, "2 tests passed", List.of(), null)
                            : new ValidationResult(
                                    false,
                                    2,
                                    1,
                                    0,
                                    0,
                                    "1 test failed",
                                    List.of(
                                            "CalcTest.adds: expected 4 but was 5 (" + reference + ")",
                                            "CalcTest.subtracts: boom"),
                                    null));
        }
    }

    private WorkflowOrchestrator open(WorkflowStore store, LearningEngines engines) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(engines.engines())
                .timeSource(clock)
                .stepTimeout(Duration.ofHours(1))
                .build());
    }

    private static WorkflowId run(WorkflowOrchestrator orchestrator, WorkflowOptions options) {
        WorkflowId id = orchestrator
                .createWorkflow("Add a calculator", Map.of(), options)
                .workflowId();
        orchestrator.startWorkflow(id);
        return id;
    }

    @Test
    void aTaskThatFailsValidationGoesBackToCodegenWithTheFailuresAndPassesInRoundTwo() {
        LearningEngines engines = new LearningEngines(2, new Usage(1000, 500, 0.25), new Usage(0, 0, 0.125));
        List<EventRecord> events = new CopyOnWriteArrayList<>();
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            orchestrator.onAny(events::add);
            WorkflowId id = run(orchestrator, WorkflowOptions.DEFAULTS);
            WorkflowStatus done = orchestrator.getWorkflowStatus(id);

            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(engines.requests)
                    .extracting(r -> r.repair() == null ? 0 : r.repair().round())
                    .containsExactly(0, 1, 2);
            CodegenRequest second = engines.requests.get(1);
            assertThat(second.repair().maxRounds()).isEqualTo(2);
            assertThat(second.repair().validationStep()).isEqualTo(VALIDATION);
            assertThat(second.repair().failure().code()).isEqualTo(StepError.VALIDATION_FAILED);
            assertThat(second.repair().failure().message())
                    .contains("CalcTest.adds: expected 4 but was 5 (round-0)")
                    .contains("\nCalcTest.subtracts: boom");
            assertThat(second.repair().previousPatch()).isEqualTo("--- a/x\n+++ b/x\n");
            assertThat(engines.requests.get(2).repair().failure().message()).contains("(round-1)");
            // Each round is a new request to the engine, deduplicated within the round only.
            assertThat(engines.keys).hasSize(3).doesNotHaveDuplicates();
            assertThat(engines.keys.get(1)).isEqualTo(engines.keys.get(0) + "-r1");

            StepStatus codegen = done.step(CODEGEN).orElseThrow();
            assertThat(codegen.repairRound()).isEqualTo(2);
            assertThat(codegen.maxRepairRounds()).isEqualTo(2);
            assertThat(codegen.repairFeedback().message()).contains("(round-1)");
            assertThat(done.step(VALIDATION).orElseThrow().repairRound()).isEqualTo(2);
            assertThat(done.result()
                            .path("tasks")
                            .get(0)
                            .path("codegen")
                            .path("reference")
                            .asText())
                    .isEqualTo("round-2");

            await(events, done.lastSequence());
            List<WorkflowEvent.RepairRoundStarted> rounds = events.stream()
                    .map(EventRecord::event)
                    .filter(WorkflowEvent.RepairRoundStarted.class::isInstance)
                    .map(WorkflowEvent.RepairRoundStarted.class::cast)
                    .toList();
            assertThat(rounds)
                    .extracting(WorkflowEvent.RepairRoundStarted::round)
                    .containsExactly(1, 2);
            assertThat(rounds)
                    .allMatch(r -> r.step().equals(CODEGEN)
                            && r.validationStep().equals(VALIDATION)
                            && r.maxRounds() == 2
                            && r.type() == EventType.REPAIR_ROUND_STARTED);

            RepairStats stats = orchestrator.getWorkflowMetrics(id).repair();
            // Rounds 1 and 2 each ran one code generation and one validation; the first pass is not repair's cost.
            assertThat(stats).isEqualTo(RepairStats.of(1, 0, 1, 1, 2, new Usage(2000, 1000, 0.75)));
            assertThat(stats.repairSuccessRate()).isEqualTo(1.0);
            assertThat(stats.tokensPerRound()).isEqualTo(1500);
            assertThat(stats.costPerRoundUsd()).isEqualTo(0.375);
            assertThat(done.repair()).isEqualTo(stats);
            assertThat(done.usage().costUsd()).isEqualTo(1.125);
            assertThat(orchestrator.getWorkflowAnalytics().repair().roundsPerRepairedTask())
                    .isEqualTo(2.0);
        }
    }

    @Test
    void whenTheRoundsRunOutTheWorkflowFailsSayingWhichRoundItWas() {
        LearningEngines engines = new LearningEngines(99, Usage.NONE);
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            WorkflowId id = run(
                    orchestrator, WorkflowOptions.builder().maxRepairRounds(1).build());
            WorkflowStatus failed = orchestrator.getWorkflowStatus(id);

            assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(failed.error().code()).isEqualTo(StepError.VALIDATION_FAILED);
            assertThat(failed.error().message()).startsWith("in repair round 1 of 1: validation of task T1 failed");
            assertThat(engines.requests).hasSize(2);
            assertThat(orchestrator.getWorkflowMetrics(id).repair())
                    .isEqualTo(RepairStats.of(1, 0, 1, 0, 1, Usage.NONE));
        }
    }

    @Test
    void withoutRoundsTheFirstValidationFailureFailsTheWorkflow() {
        LearningEngines engines = new LearningEngines(1, Usage.NONE);
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            WorkflowId id = run(
                    orchestrator,
                    WorkflowOptions.builder().repair(RepairPolicy.NONE).build());

            assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.FAILED);
            assertThat(engines.requests).hasSize(1);
            assertThat(orchestrator.getWorkflowMetrics(id).repair())
                    .isEqualTo(RepairStats.of(1, 0, 0, 0, 0, Usage.NONE));
        }
    }

    @Test
    void aBudgetSpentInARepairRoundStopsTheLoopBeforeTheNextStep() {
        LearningEngines engines = new LearningEngines(2, new Usage(600, 400, 0));
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            // Round 1's code generation spent the last of the budget: its validation is not even started.
            WorkflowStatus failed = stoppedByTheBudget(orchestrator, engines);
            assertThat(failed.error().message())
                    .isEqualTo(
                            "the workflow's budget is spent (used 2000 tokens, $0.0000) before 'Validate Task T1' in repair round 1 of 2");
        }
    }

    @Test
    void aSpentBudgetEndsTheLoopWithOneClassifiedErrorInsteadOfAnotherRound() {
        LearningEngines engines = new LearningEngines(2, Usage.NONE, new Usage(600, 400, 0));
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            // Round 1's validation spent the last of the budget and failed: round 2 is never started.
            WorkflowStatus failed = stoppedByTheBudget(orchestrator, engines);
            assertThat(failed.error().message())
                    .contains("used 2000 tokens")
                    .contains("repair round 2 of 2 was not started")
                    .contains("(round-1)");
            assertThat(failed.step(VALIDATION).orElseThrow().state()).isEqualTo(StepState.FAILED);
            assertThat(failed.step(CODEGEN).orElseThrow().state()).isEqualTo(StepState.COMPLETED);
        }
    }

    @Test
    void aLoopStoppedByTheBudgetStillDeliversTheTaskAsFailing_sayingWhy_thenFailsWithTheBudgetError() {
        LearningEngines engines = new LearningEngines(2, Usage.NONE, new Usage(600, 400, 0));
        List<io.voltworkflow.core.engine.DeliveryRequest> deliveries = new CopyOnWriteArrayList<>();
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new InMemoryWorkflowStore())
                .engines(engines.engines().toBuilder()
                        .delivery((request, context) -> {
                            deliveries.add(request);
                            return CompletableFuture.completedFuture(new io.voltworkflow.core.engine.DeliveryResult(
                                    "volt/" + context.workflowId(),
                                    "abc123",
                                    "https://forge.example/pr/1",
                                    true,
                                    "draft"));
                        })
                        .build())
                .timeSource(clock)
                .stepTimeout(Duration.ofHours(1))
                .build())) {
            WorkflowStatus failed = stoppedByTheBudget(orchestrator, engines);

            assertThat(failed.error().message()).contains("repair round 2 of 2 was not started");
            assertThat(deliveries).hasSize(1);
            assertThat(deliveries.get(0).allValidated()).isFalse();
            assertThat(deliveries.get(0).failedTasks())
                    .singleElement()
                    .satisfies(task -> assertThat(task.failure())
                            .startsWith(
                                    "the workflow's budget is spent (used 2000 tokens, $0.0000), so repair round 2 of 2 "
                                            + "was not started after: "));
            assertThat(failed.result().path("delivery").path("draft").asBoolean())
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "from a snapshot: {0}")
    @ValueSource(booleans = {false, true})
    void aRepairRoundInterruptedByARestartIsReissuedWithItsKeyAndItsFeedback(boolean snapshot, @TempDir Path dir) {
        LearningEngines first = new LearningEngines(1, Usage.NONE);
        first.hangInRepair = true;
        WorkflowId id;
        String roundKey;
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, first)) {
            id = run(orchestrator, WorkflowOptions.DEFAULTS);
            WorkflowId started = id;
            org.awaitility.Awaitility.await().until(() -> first.polls.contains("round-1"));
            StepStatus codegen =
                    orchestrator.getWorkflowStatus(started).step(CODEGEN).orElseThrow();
            assertThat(codegen.state()).isEqualTo(StepState.RUNNING);
            assertThat(codegen.repairRound()).isEqualTo(1);
            roundKey = first.keys.get(1);
            if (snapshot) {
                clock.advance(Duration.ofHours(1));
            }
        }
        LearningEngines second = new LearningEngines(1, Usage.NONE);
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, second)) {
            clock.advance(Duration.ofMinutes(1));
            WorkflowStatus done = orchestrator.getWorkflowStatus(id);

            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            // The checkpointed job of round 1 is polled again; no round is submitted twice and none is skipped.
            assertThat(second.requests).isEmpty();
            assertThat(done.step(CODEGEN).orElseThrow().idempotencyKey()).isEqualTo(roundKey);
            assertThat(done.step(CODEGEN).orElseThrow().repairFeedback().message())
                    .contains("(round-0)");
            assertThat(done.step(VALIDATION).orElseThrow().repairRound()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "from a snapshot: {0}")
    @ValueSource(booleans = {false, true})
    void whatRepairRoundsCostSurvivesARestart(boolean snapshot, @TempDir Path dir) {
        LearningEngines engines = new LearningEngines(1, new Usage(300, 100, 0.02));
        WorkflowId id;
        RepairStats before;
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, engines)) {
            id = run(orchestrator, WorkflowOptions.DEFAULTS);
            assertThat(orchestrator.awaitTermination(id).join().state()).isEqualTo(WorkflowState.COMPLETED);
            before = orchestrator.getWorkflowMetrics(id).repair();
            assertThat(before).isEqualTo(RepairStats.of(1, 0, 1, 1, 1, new Usage(300, 100, 0.02)));
            if (snapshot) {
                clock.advance(Duration.ofHours(1));
            }
        }
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, new LearningEngines(1, Usage.NONE))) {
            assertThat(orchestrator.getWorkflowMetrics(id).repair()).isEqualTo(before);
            assertThat(orchestrator.getWorkflowAnalytics().repair().costPerRoundUsd())
                    .isEqualTo(0.02);
        }
    }

    @Test
    void theRepairPolicyRefusesImpossibleSettingsByName() {
        assertThatThrownBy(() -> RepairPolicy.builder().maxRounds(-1).build())
                .hasMessage("maxRepairRounds must be between 0 and 10, was -1");
        assertThatThrownBy(() -> RepairPolicy.builder().maxRounds(11).build())
                .hasMessage("maxRepairRounds must be between 0 and 10, was 11");
        assertThatThrownBy(() ->
                        RepairPolicy.builder().repairOn(java.util.Set.of()).build())
                .hasMessageContaining("at least one error code");
        assertThat(WorkflowOptions.DEFAULTS.repair().maxRounds()).isEqualTo(2);
    }

    /** A workflow with a budget of 2000 tokens: failed, classified, after two code generations, nothing left running. */
    private static WorkflowStatus stoppedByTheBudget(WorkflowOrchestrator orchestrator, LearningEngines engines) {
        WorkflowId id = run(
                orchestrator,
                WorkflowOptions.builder().budget(new Budget(2000, 0)).build());
        WorkflowStatus failed = orchestrator.getWorkflowStatus(id);
        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().code()).isEqualTo(StepError.BUDGET_EXHAUSTED);
        assertThat(failed.error().retryable()).isFalse();
        assertThat(failed.error().recoverable()).isTrue();
        assertThat(engines.requests).hasSize(2);
        assertThat(failed.steps()).noneMatch(s -> s.state() == StepState.RUNNING || s.state() == StepState.RETRY_WAIT);
        return failed;
    }

    private static void await(List<EventRecord> events, long sequence) {
        org.awaitility.Awaitility.await().until(() -> events.stream().anyMatch(e -> e.sequence() == sequence));
    }
}
