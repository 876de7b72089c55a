package io.voltworkflow.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Instant, deterministic engines for tests of hosts and of the engine itself: analysis proposes
 * {@code taskCount} tasks where each task depends on the previous one when {@code chained}; code generation
 * finishes on the first poll; validation passes. Every call is recorded with its idempotency key.
 */
public class FakeEngines implements NlpEngine, CodegenEngine, ValidationEngine {
    private final int taskCount;
    private final boolean chained;
    public final List<String> calls = new CopyOnWriteArrayList<>();

    public FakeEngines(int taskCount, boolean chained) {
        this.taskCount = taskCount;
        this.chained = chained;
    }

    public Engines engines() {
        return Engines.builder().nlp(this).codegen(this).validation(this).build();
    }

    public List<TaskSpec> tasks() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 1; i <= taskCount; i++) {
            List<String> deps = chained && i > 1 ? List.of("T" + (i - 1)) : List.of();
            tasks.add(new TaskSpec(
                    "T" + i, "Task " + i, "Do part " + i, deps, List.of("part " + i + " works"), List.of()));
        }
        return tasks;
    }

    @Override
    public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
        calls.add("analyze " + context.idempotencyKey());
        return CompletableFuture.completedFuture(
                new AnalysisResult("summary of " + request.requirementText(), List.of("r1"), tasks(), "low", null));
    }

    @Override
    public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
        calls.add("createTasks " + context.idempotencyKey());
        return CompletableFuture.completedFuture(new TaskPlan(request.analysis().proposedTasks()));
    }

    @Override
    public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
        calls.add("submit " + request.task().id() + " " + context.idempotencyKey());
        return CompletableFuture.completedFuture(
                new CodegenJob("job-" + request.task().id(), "fake"));
    }

    @Override
    public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
        calls.add("poll " + job.jobId());
        return CompletableFuture.completedFuture(new CodegenPoll.Succeeded(new CodegenResult(
                "code for " + job.jobId(),
                "--- a/x\n+++ b/x\n",
                List.of("x"),
                "patch://" + job.jobId(),
                "fake",
                (JsonNode) null)));
    }

    @Override
    public CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
        calls.add("cancel " + job.jobId());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
        calls.add("validate " + request.task().id());
        return CompletableFuture.completedFuture(
                new ValidationResult(true, 3, 0, 0, 0, "3 tests passed", List.of(), null));
    }
}
