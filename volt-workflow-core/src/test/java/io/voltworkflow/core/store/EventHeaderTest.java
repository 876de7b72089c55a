package io.voltworkflow.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.internal.store.EventHeader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventHeaderTest {
    @Test
    void readsWorkflowAndSequenceOfEveryEncodedEvent() {
        for (long sequence = 1; sequence <= 12; sequence++) {
            byte[] encoded = EventCodec.encode(StoreFixtures.event(StoreFixtures.workflow(7), sequence));

            EventHeader header = EventHeader.identity(encoded);

            assertThat(header.workflowId()).isEqualTo("wf-7");
            assertThat(header.sequence()).isEqualTo(sequence);
            assertThat(EventHeader.withTimestamp(encoded).timestamp())
                    .isEqualTo(StoreFixtures.event(StoreFixtures.workflow(7), sequence)
                            .timestamp());
        }
    }

    @Test
    void readsOtherFieldOrdersThroughTheParser() {
        byte[] reordered = "{\"type\":\"workflow_started\",\"sequence\":42,\"data\":{},\"workflowId\":\"wf-1\"}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(EventHeader.identity(reordered)).isEqualTo(new EventHeader("wf-1", 42, null));
    }

    @Test
    void refusesAnEventWithoutItsIdentity() {
        byte[] anonymous = "{\"workflowId\":\"wf-1\",\"type\":\"workflow_started\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventHeader.identity(anonymous))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks its workflowId, sequence or timestamp");
    }
}
