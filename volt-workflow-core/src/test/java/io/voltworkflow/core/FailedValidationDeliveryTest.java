package io.voltworkflow.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.DeliveryEngine;
import io.voltworkflow.core.engine.DeliveryRequest;
import io.voltworkflow.core.engine.DeliveryRequest.DeliveredTask;
import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.plan.StandardPlan;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validation that fails for good does not end the workflow before its result is delivered: the rest settles,
 * completion delivers every task (the failing ones with their failures), and only then the workflow fails.
 */
class FailedValidationDeliveryTest {
    private final VirtualTimeSource clock = new VirtualTimeSource();

    /** Three tasks, T3 depending on T1; validation fails for the tasks in {@link #failing}. */
    static final class Engines extends FakeEngines implements DeliveryEngine {
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final List<DeliveryRequest> deliveries = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<DeliveryResult> hold;
        /** Whether the delivered branch's tip fails validation, all tasks together. */
        volatile boolean tipFails;

        Engines(String... failing) {
            super(3, false);
            this.failing.addAll(List.of(failing));
        }

        @Override
        public List<TaskSpec> tasks() {
            return List.of(task("T1", List.of()), task("T2", List.of()), task("T3", List.of("T1")));
        }

        private static TaskSpec task(String id, List<String> deps) {
            return new TaskSpec(id, "Task " + id, "Do " + id, deps, List.of(id + " works"), List.of());
        }

        @Override
        public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
            String id = request.task().id();
            return CompletableFuture.completedFuture(
                    failing.contains(id)
                            ? new ValidationResult(
                                    false,
                                    2,
                                    1,
                                    0,
                                    0,
                                    "1 test failed",
                                    List.of(id + "Test.works: expected 4 but was 5", id + "Test.other: boom"),
                                    null)
                            : new ValidationResult(true, 2, 0, 0, 0, "2 tests passed", List.of(), null));
        }

        @Override
        public CompletionStage<DeliveryResult> deliver(DeliveryRequest request, EngineContext context) {
            deliveries.add(request);
            CompletableFuture<DeliveryResult> held = hold;
            boolean ready = request.allValidated() && !tipFails;
            DeliveryResult result = new DeliveryResult(
                    "volt/" + context.workflowId(),
                    "abc123",
                    "https://forge.example/pr/1",
                    !ready,
                    (ready ? "" : "draft ") + "pull request https://forge.example/pr/1",
                    tipFails
                            ? new ValidationResult(
                                    false,
                                    3,
                                    1,
                                    0,
                                    0,
                                    "validation failed: 3 tests, 1 failure",
                                    List.of("CalculatorTest.addsOnce: T1 and T2 both define add()"),
                                    null)
                            : new ValidationResult(true, 3, 0, 0, 0, "validation passed: 3 tests", List.of(), null));
            return held == null ? CompletableFuture.completedFuture(result) : held.thenApply(ignored -> result);
        }

        io.voltworkflow.core.engine.Engines all() {
            return engines().toBuilder().delivery(this).build();
        }
    }

    private WorkflowOrchestrator open(WorkflowStore store, Engines engines) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(engines.all())
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
    void repairRoundsRunOutThenTheRestSettlesTheFailingTaskIsDeliveredAndTheWorkflowFails() {
        Engines engines = new Engines("T1");
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            WorkflowId id = run(
                    orchestrator, WorkflowOptions.builder().maxRepairRounds(1).build());
            WorkflowStatus failed = orchestrator.getWorkflowStatus(id);

            assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(failed.error().code()).isEqualTo(StepError.VALIDATION_FAILED);
            assertThat(failed.error().message())
                    .startsWith("in repair round 1 of 1: validation of task T1 failed: T1Test.works");
            assertThat(failed.step("Validate Task T1").orElseThrow().state()).isEqualTo(StepState.FAILED);
            assertThat(failed.step("Validate Task T2").orElseThrow().state()).isEqualTo(StepState.COMPLETED);
            // T3 waits for T1, which never validated: it is delivered as not generated, never started.
            assertThat(failed.step("Generate Code for Task T3").orElseThrow().state())
                    .isEqualTo(StepState.PENDING);
            assertThat(failed.step(StandardPlan.COMPLETION).orElseThrow().state())
                    .isEqualTo(StepState.COMPLETED);

            assertThat(engines.deliveries).hasSize(1);
            DeliveryRequest request = engines.deliveries.get(0);
            assertThat(request.allValidated()).isFalse();
            DeliveredTask t1 = request.tasks().get(0);
            assertThat(t1.code()).isNotNull();
            assertThat(t1.validated()).isFalse();
            assertThat(t1.repairRound()).isZero();
            assertThat(t1.failure())
                    .startsWith("in repair round 1 of 1: validation of task T1 failed")
                    .contains("T1Test.works: expected 4 but was 5")
                    .contains("T1Test.other: boom");
            assertThat(request.tasks().get(1).validated()).isTrue();
            assertThat(request.tasks().get(1).failure()).isNull();
            assertThat(request.tasks().get(2).code()).isNull();
            assertThat(request.failedTasks()).extracting(t -> t.task().id()).containsExactly("T1");

            // The failed workflow keeps what completion delivered as its result.
            assertThat(failed.result().path("delivery").path("draft").asBoolean())
                    .isTrue();
            assertThat(failed.result().path("summary").asText())
                    .isEqualTo(
                            "3 tasks, 1 validated, 1 failed validation; draft pull request https://forge.example/pr/1");
            assertThat(failed.result()
                            .path("tasks")
                            .get(0)
                            .path("validation")
                            .path("error")
                            .asText())
                    .contains("T1Test.works");
        }
    }

    @Test
    void twoTasksFailingAreDeliveredTogetherAndTheErrorCountsThem() {
        Engines engines = new Engines("T1", "T2");
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            WorkflowId id = run(
                    orchestrator, WorkflowOptions.builder().maxRepairRounds(0).build());
            WorkflowStatus failed = orchestrator.getWorkflowStatus(id);

            assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(failed.error().message())
                    .startsWith("2 tasks failed validation; the first: validation of task T1");
            assertThat(engines.deliveries).hasSize(1);
            assertThat(engines.deliveries.get(0).failedTasks())
                    .extracting(t -> t.task().id())
                    .containsExactly("T1", "T2");
        }
    }

    @Test
    void resumedAfterAFixTheTaskValidatesAndCompletionDeliversAgainAsReady() {
        Engines engines = new Engines("T1");
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            WorkflowId id = run(
                    orchestrator, WorkflowOptions.builder().maxRepairRounds(0).build());
            assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.FAILED);

            engines.failing.clear();
            orchestrator.resumeWorkflow(id);
            WorkflowStatus done = orchestrator.getWorkflowStatus(id);

            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(engines.deliveries).hasSize(2);
            assertThat(engines.deliveries.get(1).allValidated()).isTrue();
            assertThat(done.result().path("delivery").path("draft").asBoolean()).isFalse();
            assertThat(done.step("Validate Task T3").orElseThrow().state()).isEqualTo(StepState.COMPLETED);
        }
    }

    @Test
    void aRestartBetweenTheRejectionAndTheDeliveryDeliversOnceAndFails(@TempDir Path dir) {
        Engines first = new Engines("T1");
        first.hold = new CompletableFuture<>();
        WorkflowId id;
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, first)) {
            id = run(orchestrator, WorkflowOptions.builder().maxRepairRounds(0).build());
            Awaitility.await().until(() -> !first.deliveries.isEmpty());
            assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.RUNNING);
        }
        Engines second = new Engines("T1");
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, second)) {
            WorkflowStatus failed =
                    orchestrator.awaitTermination(id).toCompletableFuture().join();

            assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(second.deliveries).hasSize(1);
            assertThat(second.deliveries.get(0).failedTasks()).hasSize(1);
            assertThat(failed.result().path("delivery").path("pullRequestUrl").asText())
                    .isEqualTo("https://forge.example/pr/1");
        }
    }

    @Test
    void aBranchTipThatFailsValidationFailsTheWorkflowWithItsDeliveryKept_andAResumeDeliversAndValidatesAgain() {
        Engines engines = new Engines();
        engines.tipFails = true;
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), engines)) {
            WorkflowId id = run(orchestrator, WorkflowOptions.builder().build());
            WorkflowStatus failed = orchestrator.getWorkflowStatus(id);

            assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(failed.error().code()).isEqualTo(StepError.VALIDATION_FAILED);
            assertThat(failed.error().recoverable()).isTrue();
            assertThat(failed.error().message())
                    .isEqualTo("validation of branch volt/" + id + " at its tip abc123 failed: validation failed: "
                            + "3 tests, 1 failure\nCalculatorTest.addsOnce: T1 and T2 both define add()");
            assertThat(failed.step(StandardPlan.COMPLETION).orElseThrow().state())
                    .isEqualTo(StepState.COMPLETED);
            assertThat(failed.result().path("delivery").path("draft").asBoolean())
                    .isTrue();
            assertThat(failed.result()
                            .path("delivery")
                            .path("tipValidation")
                            .path("passed")
                            .asBoolean(true))
                    .isFalse();

            engines.tipFails = false;
            orchestrator.resumeWorkflow(id);
            WorkflowStatus done = orchestrator.getWorkflowStatus(id);

            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(engines.deliveries).hasSize(2);
            assertThat(done.result().path("delivery").path("draft").asBoolean()).isFalse();
            assertThat(done.result()
                            .path("delivery")
                            .path("tipValidation")
                            .path("passed")
                            .asBoolean())
                    .isTrue();
        }
    }

    @Test
    void aRestartDuringADeliveryWhoseTipFailsDeliversOnceMoreAndFails(@TempDir Path dir) {
        Engines first = new Engines();
        first.tipFails = true;
        first.hold = new CompletableFuture<>();
        WorkflowId id;
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, first)) {
            id = run(orchestrator, WorkflowOptions.builder().build());
            Awaitility.await().until(() -> !first.deliveries.isEmpty());
        }
        Engines second = new Engines();
        second.tipFails = true;
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, second)) {
            WorkflowStatus failed =
                    orchestrator.awaitTermination(id).toCompletableFuture().join();

            assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(failed.error().message()).contains("at its tip abc123 failed");
            assertThat(second.deliveries).hasSize(1);
        }
        try (FileWorkflowStore store = new FileWorkflowStore(dir);
                WorkflowOrchestrator orchestrator = open(store, new Engines())) {
            assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.FAILED);
        }
    }
}
