package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.CancellationSource;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.model.StepError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Code generation jobs that run in this process (a chat model call, a local command, the scaffold generator), behind
 * the submit/poll/cancel contract. The job id is the step's idempotency key and attempt number, so a duplicate
 * submission while the job runs (or before its success is polled) joins it instead of starting a second one. A job that finished is forgotten once its outcome has been
 * polled, so a retry submits afresh; a job lost with a restart polls as {@code JOB_NOT_FOUND} (retryable: submitting
 * again redoes it).
 */
public final class LocalJobs {
    /** Polling an in-process job costs nothing, so the orchestrator may look often. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final String engine;
    private final ConcurrentMap<String, Job> jobs = new ConcurrentHashMap<>();

    public LocalJobs(String engine) {
        this.engine = engine;
    }

    public CompletionStage<CodegenJob> submit(
            EngineContext context, Function<EngineContext, CompletionStage<CodegenResult>> work) {
        // One job per attempt: the orchestrator cancels a failed attempt's job after the fact, and that late cancel
        // must
        // not reach the job the retry started under the same idempotency key.
        String jobId = context.idempotencyKey() + "#" + context.attempt();
        // A running or succeeded job is the answer to a repeated submission; a failed or cancelled one is redone.
        jobs.compute(
                jobId,
                (id, existing) -> existing == null
                                || existing.cancellation.isCancelled()
                                || existing.outcome.isCompletedExceptionally()
                        ? start(context, work)
                        : existing);
        return CompletableFuture.completedFuture(new CodegenJob(jobId, engine));
    }

    public CompletionStage<CodegenPoll> poll(CodegenJob job) {
        Job running = jobs.get(job.jobId());
        if (running == null) {
            return CompletableFuture.completedFuture(new CodegenPoll.Failed(StepError.retryable(
                    StepError.JOB_NOT_FOUND,
                    engine + " has no job '" + job.jobId() + "' (it ran in a process that is gone); submit it again")));
        }
        if (!running.outcome.isDone()) {
            return CompletableFuture.completedFuture(new CodegenPoll.Running("generating", POLL_INTERVAL));
        }
        jobs.remove(job.jobId(), running);
        CodegenPoll poll = running.outcome
                .<CodegenPoll>thenApply(CodegenPoll.Succeeded::new)
                .exceptionally(failure -> new CodegenPoll.Failed(Stages.errorOf(failure)))
                .join();
        return CompletableFuture.completedFuture(poll);
    }

    public CompletionStage<Void> cancel(CodegenJob job) {
        Job running = jobs.remove(job.jobId());
        if (running != null) {
            running.cancellation.cancel("job cancelled");
        }
        return CompletableFuture.completedFuture(null);
    }

    private static Job start(EngineContext context, Function<EngineContext, CompletionStage<CodegenResult>> work) {
        CancellationSource cancellation = CancellationSource.following(context.cancellation());
        CompletableFuture<CodegenResult> outcome = Stages.guarded(
                        () -> work.apply(new ForwardingContext(context, cancellation)))
                .toCompletableFuture();
        outcome.whenComplete((result, failure) -> cancellation.detach());
        return new Job(outcome, cancellation);
    }

    private record Job(CompletableFuture<CodegenResult> outcome, CancellationSource cancellation) {}
}
