package io.voltworkflow.core.event;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.Objects;

/** An event as stored and delivered: sequence numbers start at 1 and have no gaps per workflow. */
public record EventRecord(WorkflowId workflowId, long sequence, Instant timestamp, WorkflowEvent event) {
    public EventRecord {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(event, "event");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
    }

    public EventType type() {
        return event.type();
    }
}
