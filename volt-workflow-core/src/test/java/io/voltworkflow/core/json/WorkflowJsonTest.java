package io.voltworkflow.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.EventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowJsonTest {
    private static final Instant AT = Instant.parse("2026-11-25T22:10:00.123Z");

    @Test
    void emptyOutputsSurviveTheCompactStoreEncoding() {
        EventRecord record = new EventRecord(
                WorkflowId.of("wf-1"),
                7,
                AT,
                new WorkflowEvent.StepCompleted(
                        "a", 1, 12, WorkflowJson.mapper().createObjectNode(), Usage.NONE, Map.of()));
        EventRecord decoded = EventCodec.decode(EventCodec.encode(record));
        assertThat(decoded).isEqualTo(record);
        assertThat(((WorkflowEvent.StepCompleted) decoded.event()).output().isObject())
                .isTrue();
    }

    @Test
    void eventsHaveThePublicWireShape() throws Exception {
        EventRecord record = new EventRecord(
                WorkflowId.of("wf-1"),
                3,
                AT,
                new WorkflowEvent.StepRetrying(
                        "Generate Code for Task T1",
                        1,
                        40,
                        StepError.retryableAfter(StepError.RATE_LIMITED, "429", Duration.ofSeconds(2)),
                        2000,
                        AT.plusSeconds(2),
                        Usage.NONE));
        JsonNode json = WorkflowJson.mapper().readTree(WorkflowJson.write(record));
        assertThat(json.path("workflowId").asText()).isEqualTo("wf-1");
        assertThat(json.path("sequence").asLong()).isEqualTo(3);
        assertThat(json.path("timestamp").asText()).isEqualTo("2026-11-25T22:10:00.123Z");
        assertThat(json.path("type").asText()).isEqualTo("step_retrying");
        assertThat(json.path("step").asText()).isEqualTo("Generate Code for Task T1");
        assertThat(json.path("data").path("error").path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(json.path("data").path("error").path("retryAfter").asLong()).isEqualTo(2000);
        assertThat(json.path("data").path("delayMs").asLong()).isEqualTo(2000);
        assertThat(WorkflowJson.mapper().readValue(json.toString(), EventRecord.class))
                .isEqualTo(record);
    }
}
