package io.voltworkflow.core.engine;

import java.util.concurrent.CompletionStage;

/**
 * Code generation, possibly long-running: submit a job, then poll it. The orchestrator checkpoints the job before
 * polling, so a resumed workflow keeps polling the job it submitted and never submits it twice.
 */
public interface CodegenEngine {
    CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context);

    CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context);

    /** Best effort: called when the step is cancelled while the job runs. */
    CompletionStage<Void> cancel(CodegenJob job, EngineContext context);
}
