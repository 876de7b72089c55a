package io.voltworkflow.core.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Realistic events for store tests: a workflow's sequence {@code n} is always the same event (creation, start, then
 * steps starting, retrying and completing), timestamped {@code n} seconds after {@link #EPOCH}.
 */
public final class StoreFixtures {
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private StoreFixtures() {}

    public static WorkflowId workflow(int n) {
        return WorkflowId.of("wf-" + n);
    }

    public static Instant timeOf(long sequence) {
        return EPOCH.plusSeconds(sequence);
    }

    public static EventRecord event(WorkflowId id, long sequence) {
        return new EventRecord(id, sequence, timeOf(sequence).plusNanos(123_456_000), payload(sequence));
    }

    /** Events {@code from..to} (inclusive) of one workflow. */
    public static List<EventRecord> events(WorkflowId id, long from, long to) {
        List<EventRecord> events = new ArrayList<>();
        for (long sequence = from; sequence <= to; sequence++) {
            events.add(event(id, sequence));
        }
        return events;
    }

    public static WorkflowSnapshot snapshot(WorkflowId id, long sequence) {
        return new WorkflowSnapshot(
                id,
                sequence,
                timeOf(sequence),
                ("{\"workflow\":\"" + id + "\",\"upTo\":" + sequence + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static WorkflowEvent payload(long sequence) {
        if (sequence == 1) {
            return new WorkflowEvent.WorkflowCreated(new WorkflowDefinition(
                    "Add a login page",
                    JsonNodeFactory.instance.objectNode().put("language", "java"),
                    List.of(
                            StepDefinition.of("analysis", StepType.ANALYSIS),
                            StepDefinition.of("scan", StepType.of("security_scan"), "analysis")
                                    .withTimeout(Duration.ofSeconds(30))),
                    null));
        }
        if (sequence == 2) {
            return new WorkflowEvent.WorkflowStarted("started by test");
        }
        String step = "step-" + (sequence / 3);
        return switch ((int) (sequence % 3)) {
            case 0 -> new WorkflowEvent.StepStarted(step, 1, "wf:" + step, false);
            case 1 ->
                new WorkflowEvent.StepRetrying(
                        step,
                        1,
                        40,
                        StepError.retryable(StepError.RATE_LIMITED, "slow down"),
                        250,
                        timeOf(sequence).plusMillis(250),
                        new Usage(10, 0, 0.001));
            default ->
                new WorkflowEvent.StepCompleted(
                        step,
                        2,
                        1200,
                        JsonNodeFactory.instance.objectNode().put("files", (int) sequence),
                        new Usage(1200, 340, 0.0123),
                        Map.of("model", "test-model"));
        };
    }
}
