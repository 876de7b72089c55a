package io.voltworkflow.store.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Event records for store tests; what happens in them does not matter to a store, their order does. */
final class Events {
    static final Instant T0 = Instant.parse("2026-11-25T22:00:00.123456Z");

    private Events() {}

    static EventRecord started(String workflow, long sequence) {
        return record(workflow, sequence, new WorkflowEvent.WorkflowStarted("test"));
    }

    static EventRecord progress(String workflow, long sequence) {
        return record(workflow, sequence, new WorkflowEvent.StepProgress("build", "step " + sequence));
    }

    static EventRecord completed(String workflow, long sequence) {
        return record(workflow, sequence, new WorkflowEvent.WorkflowCompleted(JsonNodeFactory.instance.objectNode()));
    }

    /** {@code workflow_started} at {@code from} when it is 1, then progress up to {@code to}. */
    static List<EventRecord> log(String workflow, long from, long to) {
        List<EventRecord> records = new ArrayList<>();
        for (long sequence = from; sequence <= to; sequence++) {
            records.add(sequence == 1 ? started(workflow, sequence) : progress(workflow, sequence));
        }
        return records;
    }

    static EventRecord record(String workflow, long sequence, WorkflowEvent event) {
        return new EventRecord(WorkflowId.of(workflow), sequence, T0.plusSeconds(sequence), event);
    }

    static List<Long> sequences(List<EventRecord> records) {
        return records.stream().map(EventRecord::sequence).toList();
    }
}
