package io.voltworkflow.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.DeliveryRequest;
import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A step the spent budget refuses, wherever it is in the workflow, does not fail the workflow at once: completion
 * delivers what was generated so far, as a draft whose failing tasks say that the budget stopped them, and the
 * workflow fails after with {@code BUDGET_EXHAUSTED}. With nothing generated, the result says that nothing was
 * delivered, and why.
 */
class BudgetRefusalDeliveryTest {

    private final VirtualTimeSource clock = new VirtualTimeSource();
    private final List<DeliveryRequest> deliveries = new CopyOnWriteArrayList<>();

    /** Two chained tasks; each code generation costs 1500 tokens, analysis {@code analysisTokens}. */
    private static final class PricedEngines extends FakeEngines {
        private final long analysisTokens;

        PricedEngines(long analysisTokens) {
            super(2, true);
            this.analysisTokens = analysisTokens;
        }

        @Override
        public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
            context.recordUsage(new Usage(analysisTokens, 0, 0));
            return super.analyze(request, context);
        }

        @Override
        public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
            context.recordUsage(new Usage(1000, 500, 0));
            return super.submit(request, context);
        }
    }

    private WorkflowStatus run(PricedEngines engines) {
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new InMemoryWorkflowStore())
                .engines(engines.engines().toBuilder()
                        .delivery((request, context) -> {
                            deliveries.add(request);
                            boolean nothing = request.tasks().stream().allMatch(t -> t.code() == null);
                            return CompletableFuture.completedFuture(
                                    nothing
                                            ? new DeliveryResult(
                                                    "volt/" + context.workflowId(),
                                                    "",
                                                    null,
                                                    false,
                                                    "no changes to deliver; branch not created")
                                            : new DeliveryResult(
                                                    "volt/" + context.workflowId(),
                                                    "abc123",
                                                    "https://forge.example/pr/1",
                                                    !request.allValidated(),
                                                    "pull request"));
                        })
                        .build())
                .timeSource(clock)
                .stepTimeout(Duration.ofHours(1))
                .build())) {
            WorkflowId id = orchestrator
                    .createWorkflow(
                            "Add a calculator",
                            Map.of(),
                            WorkflowOptions.builder()
                                    .budget(new Budget(1500, 0))
                                    .build())
                    .workflowId();
            orchestrator.startWorkflow(id);
            return orchestrator.getWorkflowStatus(id);
        }
    }

    @Test
    void aCodeGenerationRefusedByTheBudgetDeliversWhatWasGeneratedAsADraftThenFailsWithTheBudgetError() {
        WorkflowStatus failed = run(new PricedEngines(0));

        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().code()).isEqualTo(StepError.BUDGET_EXHAUSTED);
        assertThat(failed.error().recoverable()).isTrue();
        assertThat(failed.error().message()).startsWith("the workflow's budget is spent (used 1500 tokens");
        assertThat(failed.step("Generate Code for Task T2").orElseThrow().state())
                .isNotEqualTo(StepState.COMPLETED);
        // T1's code was generated before the budget ran out: it is delivered, as a draft that says why it stopped.
        assertThat(deliveries).singleElement().satisfies(request -> {
            assertThat(request.allValidated()).isFalse();
            assertThat(request.tasks())
                    .filteredOn(task -> task.code() != null)
                    .singleElement()
                    .satisfies(task -> assertThat(task.task().id()).isEqualTo("T1"));
            assertThat(request.failedTasks())
                    .isNotEmpty()
                    .allSatisfy(task -> assertThat(task.failure()).startsWith("the workflow's budget is spent"));
        });
        assertThat(failed.result().path("delivery").path("draft").asBoolean()).isTrue();
        assertThat(failed.result().path("summary").asText()).doesNotContain("nothing was delivered");
    }

    @Test
    void aBudgetSpentBeforeAnyCodeWasGeneratedSaysThatNothingWasDeliveredAndWhy() {
        WorkflowStatus failed = run(new PricedEngines(1500));

        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().code()).isEqualTo(StepError.BUDGET_EXHAUSTED);
        assertThat(failed.error().message()).contains("before 'Create Atomic Tasks'");
        assertThat(deliveries)
                .singleElement()
                .satisfies(request -> assertThat(request.tasks()).isEmpty());
        assertThat(failed.result().path("summary").asText())
                .contains("nothing was delivered: the workflow's budget is spent (used 1500 tokens")
                .contains("before 'Create Atomic Tasks'");
    }
}
