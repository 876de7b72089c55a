package io.voltworkflow.core.internal;

import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.time.TimeSource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One attempt of one step running in this process. Fields other than the signal are guarded by the workflow's lock. */
final class Attempt {
    final WorkflowRuntime workflow;
    final StepRuntime step;
    final int number;
    final Instant startedAt;
    final Instant deadline;
    final io.voltworkflow.core.engine.CancellationSource cancellation =
            new io.voltworkflow.core.engine.CancellationSource();
    TimeSource.@Nullable Timer timeoutTimer;
    Usage usage = Usage.NONE;
    /** What the engine recorded, in the order it did; created with the first entry, as most attempts record none. */
    private @Nullable Map<String, String> provenance;

    boolean finished;

    Attempt(WorkflowRuntime workflow, StepRuntime step, int number, Instant startedAt, Instant deadline) {
        this.workflow = workflow;
        this.step = step;
        this.number = number;
        this.startedAt = startedAt;
        this.deadline = deadline;
    }

    Map<String, String> provenance() {
        return provenance == null ? Map.of() : provenance;
    }

    void putProvenance(String key, String value) {
        if (provenance == null) {
            provenance = new LinkedHashMap<>();
        }
        provenance.put(key, value);
    }

    long elapsedMs(Instant now) {
        return Math.max(0, java.time.Duration.between(startedAt, now).toMillis());
    }
}
