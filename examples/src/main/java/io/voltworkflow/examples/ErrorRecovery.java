package io.voltworkflow.examples;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.VoltWorkflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The spec's error handling: a transient network error is retried automatically with backoff; a real test failure
 * fails the workflow, and once "fixed" the failed workflow is resumed, re-running only its failed steps.
 */
public final class ErrorRecovery {
    private ErrorRecovery() {}

    public static void main(String[] args) throws Exception {
        System.out.println("Recovered: " + run().state().wireName());
    }

    static WorkflowStatus run() throws Exception {
        FlakyThenBrokenValidation validation = new FlakyThenBrokenValidation();
        OrchestratorOptions options = OrchestratorOptions.builder()
                .engines(ExampleEngines.with(validation))
                .retryPolicy(RetryPolicy.builder()
                        .maxRetries(3)
                        .initialInterval(Duration.ofMillis(50))
                        .build())
                .build();
        try (WorkflowOrchestrator orchestrator = VoltWorkflow.createWorkflowOrchestrator(options)) {
            WorkflowStatus created =
                    orchestrator.createWorkflow("Add a health endpoint", Map.of(), WorkflowOptions.DEFAULTS);
            orchestrator.startWorkflow(created.workflowId());
            WorkflowStatus failed =
                    orchestrator.awaitTermination(created.workflowId()).get(1, TimeUnit.MINUTES);
            System.out.println("First run: " + failed.state().wireName() + " — " + failed.error());
            System.out.println("Attempts of the validation step: "
                    + failed.steps().stream()
                            .filter(s -> s.type().equals("validation"))
                            .map(s -> s.name() + "=" + s.attempts())
                            .toList());

            StepError error = failed.error();
            if (failed.state() == WorkflowState.FAILED && error != null && error.recoverable()) {
                validation.fixed.set(true);
                orchestrator.resumeWorkflow(created.workflowId());
            }
            return orchestrator.awaitTermination(created.workflowId()).get(1, TimeUnit.MINUTES);
        }
    }

    /** First a retryable network error, then a failing test run until the fix, then success. */
    private static final class FlakyThenBrokenValidation implements ValidationEngine {
        final AtomicBoolean fixed = new AtomicBoolean();
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
            if (calls.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(
                        new EngineException(StepError.retryable(StepError.NETWORK_ERROR, "Connection timeout")));
            }
            boolean passed = fixed.get();
            if (!passed) {
                return CompletableFuture.failedFuture(new EngineException(
                        StepError.recoverable(StepError.VALIDATION_FAILED, "1 of 3 tests failed: HealthEndpointTest")));
            }
            return CompletableFuture.completedFuture(
                    new ValidationResult(true, 3, 0, 0, 0, "3 tests passed", List.of(), null));
        }
    }
}
