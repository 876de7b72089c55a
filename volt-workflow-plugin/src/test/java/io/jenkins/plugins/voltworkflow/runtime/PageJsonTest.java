package io.jenkins.plugins.voltworkflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageJsonTest {

    @Test
    void anEventsPageHasTheSharedShape() {
        EventRecord started = new EventRecord(
                WorkflowId.of("wf-1"),
                7,
                Instant.parse("2026-11-25T22:10:01Z"),
                new WorkflowEvent.StepStarted("Requirement Analysis", 1, "k", false));

        assertThat(PageJson.events(List.of(started), 9))
                .startsWith("{\"events\":[{\"workflowId\":\"wf-1\",\"sequence\":7,")
                .contains("\"type\":\"step_started\"", "\"step\":\"Requirement Analysis\"")
                .endsWith(",\"lastSequence\":9}");
    }

    @Test
    void errorsHaveTheSharedShape() {
        assertThat(PageJson.error("NOT_RUNNING", "the workflow is not running on this controller"))
                .isEqualTo(
                        "{\"error\":{\"code\":\"NOT_RUNNING\",\"message\":\"the workflow is not running on this controller\",\"field\":null}}");
    }

    @Test
    void aCancelReasonIsOptionalAndShort() {
        assertThat(PageJson.cancelReason(body("{\"reason\":\"  wrong requirement \"}")))
                .isEqualTo("wrong requirement");
        assertThat(PageJson.cancelReason(body(""))).isEmpty();
        assertThat(PageJson.cancelReason(body("not json"))).isEmpty();
        assertThat(PageJson.cancelReason(body("{\"reason\":\"" + "x".repeat(2000) + "\"}")))
                .hasSize(PageJson.MAX_REASON_LENGTH);
    }

    private static ByteArrayInputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
