package io.jenkins.plugins.voltworkflow.runtime;

import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.model.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stand-ins for the external analysis and code generation services (the real adapters live in
 * volt-workflow-engines): a plan of two tasks, the second depending on the first, and a code generation job per
 * task that reports "running" once before producing a patch, so the workflow goes through submit and poll.
 */
final class StandInEngines implements NlpEngine, CodegenEngine {

    final Map<String, Integer> submissions = new ConcurrentHashMap<>();
    private final Map<String, Integer> polls = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
        return CompletableFuture.completedFuture(
                new AnalysisResult("login with JWT", List.of("tokens", "login endpoint"), List.of(), "medium", null));
    }

    @Override
    public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
        return CompletableFuture.completedFuture(new TaskPlan(List.of(
                new TaskSpec(
                        "tokens", "Issue JWT tokens", "", List.of(), List.of("tokens expire"), List.of("Auth.java")),
                new TaskSpec("login", "Login endpoint", "", List.of("tokens"), List.of(), List.of("Login.java")))));
    }

    @Override
    public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
        submissions.merge(request.task().id(), 1, Integer::sum);
        return CompletableFuture.completedFuture(
                new CodegenJob("job-" + request.task().id(), "stand-in"));
    }

    @Override
    public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
        boolean first = polls.merge(job.jobId(), 1, Integer::sum) == 1;
        return CompletableFuture.completedFuture(
                first ? new CodegenPoll.Running("generating", Duration.ofMillis(1)) : done(job));
    }

    private static CodegenPoll done(CodegenJob job) {
        String task = job.jobId().substring("job-".length());
        return new CodegenPoll.Succeeded(new CodegenResult(
                "code for " + task,
                "--- a/" + task + "\n+++ b/" + task + "\n",
                List.of(task + ".java"),
                "patches/" + task + ".patch",
                "stand-in",
                null));
    }

    @Override
    public CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
        return CompletableFuture.completedFuture(null);
    }
}
