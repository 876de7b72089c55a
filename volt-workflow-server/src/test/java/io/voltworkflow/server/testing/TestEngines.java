package io.voltworkflow.server.testing;

import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic in-process engines for tests: analysis proposes {@code tasks} tasks, code generation finishes at the
 * first poll, validation passes. Validation waits for {@link #gate} (open by default) so a test can hold a
 * workflow running; {@link #failValidationOnce} makes the first validation fail without retry (for recovery tests).
 */
public final class TestEngines implements NlpEngine, CodegenEngine, ValidationEngine {
    private final int tasks;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private final AtomicInteger validationFailuresLeft = new AtomicInteger();

    public TestEngines(int tasks) {
        this.tasks = tasks;
    }

    public Engines engines() {
        return Engines.builder().nlp(this).codegen(this).validation(this).build();
    }

    /** Closes the gate: validations wait until the returned future is completed. */
    public CompletableFuture<Void> closeGate() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        gate = closed;
        return closed;
    }

    public void failValidationOnce() {
        validationFailuresLeft.set(1);
    }

    @Override
    public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
        return CompletableFuture.completedFuture(new AnalysisResult(
                "analysed: " + request.requirementText(), List.of(request.requirementText()), List.of(), "low", null));
    }

    @Override
    public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 1; i <= tasks; i++) {
            specs.add(new TaskSpec("task-" + i, "Task " + i, "part " + i, List.of(), List.of("works"), List.of()));
        }
        return CompletableFuture.completedFuture(new TaskPlan(specs));
    }

    @Override
    public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
        return CompletableFuture.completedFuture(new CodegenJob("job-" + context.idempotencyKey(), "test"));
    }

    @Override
    public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
        return CompletableFuture.completedFuture(new CodegenPoll.Succeeded(
                new CodegenResult("generated", "", List.of("src/Main.java"), "patch:" + job.jobId(), "test", null)));
    }

    @Override
    public CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
        return gate.thenApply(ignored -> {
            if (validationFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new EngineException(StepError.recoverable(StepError.VALIDATION_FAILED, "tests failed"));
            }
            return new ValidationResult(true, 3, 0, 0, 0, "3 tests passed", List.of(), null);
        });
    }
}
