package io.voltworkflow.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowProblem;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.testing.FakeEngines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented input limits (docs/reliability.md), at and just past each boundary. */
class InputLimitsTest {
    private static final StepType INSTANT = StepType.of("instant");

    @TempDir
    Path directory;

    private static WorkflowOrchestrator open(WorkflowStore store, Engines engines) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(engines)
                .retryPolicy(RetryPolicy.NO_RETRY)
                .build());
    }

    private static Engines instantSteps() {
        return Engines.builder()
                .customStep(
                        INSTANT.id(),
                        (invocation, context) ->
                                CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode()))
                .build();
    }

    @Test
    void requirementAndContextAreAcceptedUpToTheirLimitAndRefusedPastIt() {
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), instantSteps())) {
            assertThat(orchestrator
                            .createWorkflow("r".repeat(FuzzData.MAX_REQUIREMENT), Map.of(), WorkflowOptions.DEFAULTS)
                            .state())
                    .isEqualTo(WorkflowState.INITIALIZED);
            assertThatThrownBy(() -> orchestrator.createWorkflow(
                            "r".repeat(FuzzData.MAX_REQUIREMENT + 1), Map.of(), WorkflowOptions.DEFAULTS))
                    .isInstanceOf(InvalidWorkflowException.class)
                    .hasMessageContaining(WorkflowProblem.REQUIREMENT_TOO_LONG)
                    .hasMessageContaining("100001 characters; the limit is 100000");

            // {"k":"…"} is 8 characters around the value.
            String fits = "c".repeat(FuzzData.MAX_CONTEXT_CHARS - 8);
            assertThat(orchestrator
                            .createWorkflow("context", Map.of("k", fits), WorkflowOptions.DEFAULTS)
                            .state())
                    .isEqualTo(WorkflowState.INITIALIZED);
            assertThatThrownBy(() ->
                            orchestrator.createWorkflow("context", Map.of("k", fits + "c"), WorkflowOptions.DEFAULTS))
                    .isInstanceOf(InvalidWorkflowException.class)
                    .hasMessageContaining(WorkflowProblem.CONTEXT_TOO_LARGE);
            assertThat(orchestrator.listWorkflows(WorkflowQuery.ALL)).hasSize(2);
        }
    }

    @Test
    void theDeepestAllowedGraphRunsToCompletionAndOneStepMoreIsRefused() {
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), instantSteps())) {
            WorkflowDefinition deepest = new WorkflowDefinition(
                    "deep", null, FuzzData.chain(FuzzData.MAX_STEPS, INSTANT), WorkflowOptions.DEFAULTS);
            WorkflowStatus created = orchestrator.createWorkflow(deepest);
            orchestrator.startWorkflow(created.workflowId());
            WorkflowStatus done =
                    orchestrator.awaitTermination(created.workflowId()).join();
            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(done.progress().completedSteps()).isEqualTo(FuzzData.MAX_STEPS);

            assertThatThrownBy(() -> orchestrator.createWorkflow(new WorkflowDefinition(
                            "too deep",
                            null,
                            FuzzData.chain(FuzzData.MAX_STEPS + 1, INSTANT),
                            WorkflowOptions.DEFAULTS)))
                    .isInstanceOf(InvalidWorkflowException.class)
                    .hasMessageContaining(WorkflowProblem.TOO_MANY_STEPS)
                    .hasMessageContaining("the limit is 10000");
            assertThat(orchestrator.listWorkflows(WorkflowQuery.ALL)).hasSize(1);
        }
    }

    @Test
    void aCycleClosingTheDeepestChainIsReportedWithItsWholePath() {
        List<StepDefinition> steps = new ArrayList<>(FuzzData.chain(FuzzData.MAX_STEPS, INSTANT));
        steps.set(0, steps.get(0).withDependencies(List.of("s" + (FuzzData.MAX_STEPS - 1))));
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), instantSteps())) {
            Throwable thrown = catchThrowable(() ->
                    orchestrator.createWorkflow(new WorkflowDefinition("ring", null, steps, WorkflowOptions.DEFAULTS)));
            assertThat(thrown).isInstanceOf(InvalidWorkflowException.class);
            // Not asserted on the message itself: a failure would print all 10,001 names.
            String message = thrown.getMessage();
            assertThat(message.contains("dependency cycle (each step depends on the next): s0 -> s9999 -> s9998 -> "))
                    .as("the cycle starts at s0, which depends on s9999")
                    .isTrue();
            assertThat(message.endsWith(" -> s2 -> s1 -> s0"))
                    .as("the cycle is closed on s0")
                    .isTrue();
            assertThat(message.split(" -> ")).hasSize(FuzzData.MAX_STEPS + 1);
            assertThat(orchestrator.listWorkflows(WorkflowQuery.ALL)).isEmpty();
        }
    }

    @Test
    void aTaskPlanIsAcceptedUpToTwoHundredTasksAndFailsTheStepPastIt() {
        FakeEngines atLimit = new FakeEngines(FuzzData.MAX_TASKS, false);
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), atLimit.engines())) {
            WorkflowStatus created = orchestrator.createWorkflow("many tasks", Map.of(), WorkflowOptions.DEFAULTS);
            orchestrator.startWorkflow(created.workflowId());
            WorkflowStatus done =
                    orchestrator.awaitTermination(created.workflowId()).join();
            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(done.steps()).hasSize(3 + 2 * FuzzData.MAX_TASKS);
        }
        FakeEngines pastLimit = new FakeEngines(FuzzData.MAX_TASKS + 1, false);
        try (WorkflowOrchestrator orchestrator = open(new InMemoryWorkflowStore(), pastLimit.engines())) {
            WorkflowStatus created = orchestrator.createWorkflow("too many tasks", Map.of(), WorkflowOptions.DEFAULTS);
            orchestrator.startWorkflow(created.workflowId());
            WorkflowStatus done =
                    orchestrator.awaitTermination(created.workflowId()).join();
            assertThat(done.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(done.error().code()).isEqualTo(StepError.INVALID_TASK_PLAN);
            assertThat(done.error().message()).contains("201 tasks; the limit is 200");
            assertThat(done.steps()).hasSize(3);
            assertThat(pastLimit.calls).noneMatch(call -> call.startsWith("submit"));
        }
    }

    /**
     * Step inputs have no limit of their own; a definition too large for one store record (64 MiB) is refused by the
     * file store, and the workflow is taken offline rather than left half-created. Wanted: a validator limit that
     * refuses it up front (docs/reliability.md).
     */
    @Test
    void aDefinitionLargerThanAStoreRecordIsRefusedAndNotKept() {
        String huge = "i".repeat(65 << 20);
        WorkflowDefinition definition = new WorkflowDefinition(
                "huge input",
                null,
                List.of(StepDefinition.of("a", INSTANT)
                        .withInput(JsonNodeFactory.instance.objectNode().put("blob", huge))),
                WorkflowOptions.DEFAULTS);
        try (WorkflowOrchestrator orchestrator = open(new FileWorkflowStore(directory), instantSteps())) {
            assertThatThrownBy(() -> orchestrator.createWorkflow(definition))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("exceeds the store's limit of 67108864 bytes");
            await().untilAsserted(() ->
                    assertThat(orchestrator.listWorkflows(WorkflowQuery.ALL)).isEmpty());
        }
        try (WorkflowOrchestrator reopened = open(new FileWorkflowStore(directory), instantSteps())) {
            assertThat(reopened.listWorkflows(WorkflowQuery.ALL)).isEmpty();
        }
    }
}
