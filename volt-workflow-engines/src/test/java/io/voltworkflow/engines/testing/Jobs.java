package io.voltworkflow.engines.testing;

import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.EngineContext;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Drives a code generation job the way the orchestrator does: submit, then poll until it is no longer running. */
public final class Jobs {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Jobs() {}

    public static CodegenPoll run(CodegenEngine engine, CodegenRequest request, EngineContext context) {
        CodegenJob job = Outcomes.result(engine.submit(request, context));
        return awaitOutcome(engine, job, context);
    }

    /** Polls (bounded) until the job is done; in-process jobs finish on their own threads. */
    public static CodegenPoll awaitOutcome(CodegenEngine engine, CodegenJob job, EngineContext context) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            CodegenPoll poll = Outcomes.result(engine.poll(job, context));
            if (!(poll instanceof CodegenPoll.Running)) {
                return poll;
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
        throw new AssertionError("job " + job.jobId() + " still running after " + LIMIT);
    }
}
