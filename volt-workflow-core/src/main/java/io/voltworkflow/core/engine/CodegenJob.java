package io.voltworkflow.core.engine;

import java.util.Objects;

/** A submitted code generation job; checkpointed, so it must be plain data. */
public record CodegenJob(String jobId, String engine) {
    public CodegenJob {
        Objects.requireNonNull(jobId, "jobId");
        engine = engine == null ? "" : engine;
    }
}
