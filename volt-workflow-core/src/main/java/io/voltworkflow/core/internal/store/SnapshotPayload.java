package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.WorkflowSnapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Snapshot payload: {@code idLength:short | id (UTF-8) | sequence:long | epochSecond:long | nano:int | state}. The
 * state is the engine's opaque bytes, stored as is.
 */
public final class SnapshotPayload {
    private static final int FIXED_BYTES = 2 + 8 + 8 + 4;

    private SnapshotPayload() {}

    @SuppressWarnings("JavaInstantGetSecondsGetNano") // the epoch second is written beside it
    public static byte[] encode(WorkflowSnapshot snapshot) {
        byte[] id = snapshot.workflowId().value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(FIXED_BYTES + id.length + snapshot.state().length)
                .putShort((short) id.length)
                .put(id)
                .putLong(snapshot.sequence())
                .putLong(snapshot.takenAt().getEpochSecond())
                .putInt(snapshot.takenAt().getNano())
                .put(snapshot.state())
                .array();
    }

    public static WorkflowSnapshot decode(byte[] payload) {
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        byte[] id = new byte[buffer.getShort()];
        buffer.get(id);
        long sequence = buffer.getLong();
        Instant takenAt = Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
        byte[] state = new byte[buffer.remaining()];
        buffer.get(state);
        return new WorkflowSnapshot(new WorkflowId(new String(id, StandardCharsets.UTF_8)), sequence, takenAt, state);
    }

    /** Workflow and sequence only, without copying the state. */
    public static WorkflowSnapshot decodeHeader(ByteBuffer payload) {
        ByteBuffer buffer = payload.duplicate();
        byte[] id = new byte[buffer.getShort()];
        buffer.get(id);
        long sequence = buffer.getLong();
        return new WorkflowSnapshot(
                new WorkflowId(new String(id, StandardCharsets.UTF_8)), sequence, Instant.EPOCH, new byte[0]);
    }
}
