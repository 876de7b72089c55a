package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import java.util.concurrent.CompletionStage;

/** A code generator that runs in this process, behind the submit/poll/cancel contract of {@link LocalJobs}. */
public abstract class InProcessCodegen implements CodegenEngine {
    private final LocalJobs jobs;

    protected InProcessCodegen(String engine) {
        this.jobs = new LocalJobs(engine);
    }

    /** Generates the code; runs with a context whose cancellation also follows {@code cancel(job)}. */
    protected abstract CompletionStage<CodegenResult> generate(CodegenRequest request, EngineContext context);

    @Override
    public final CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
        return jobs.submit(context, jobContext -> generate(request, jobContext));
    }

    @Override
    public final CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
        return jobs.poll(job);
    }

    @Override
    public final CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
        return jobs.cancel(job);
    }
}
