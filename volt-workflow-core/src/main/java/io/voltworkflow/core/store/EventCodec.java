package io.voltworkflow.core.store;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.IOException;

/** How stores turn events into bytes and back: compact UTF-8 JSON of the public event shape. */
public final class EventCodec {
    private EventCodec() {}

    public static byte[] encode(EventRecord record) {
        try {
            return WorkflowJson.compactMapper().writeValueAsBytes(record);
        } catch (IOException e) {
            throw new StoreException(
                    "cannot encode event " + record.sequence() + " of workflow " + record.workflowId(), e);
        }
    }

    /** Decodes a record; a malformed one raises {@link StoreException} naming the problem. */
    public static EventRecord decode(byte[] bytes) {
        try {
            return WorkflowJson.readStoredEvent(bytes);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("undecodable event record (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }
}
