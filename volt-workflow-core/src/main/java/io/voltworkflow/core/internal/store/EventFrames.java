package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a batch of events straight into their frames, on the appending thread and before any lock: each record's
 * JSON is written once, behind room left for its frame header, and the batch becomes one array. The writer then only
 * copies that array and syncs.
 */
public final class EventFrames {
    /** A buffer that grew past this for one large batch is dropped afterwards rather than kept per thread. */
    private static final int KEPT_BUFFER_BYTES = 1 << 20;

    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private EventFrames() {}

    /** The frames of one batch, back to back, and where each record's frame starts. */
    public record Encoded(byte[] frames, int[] offsets) {}

    /** Frames {@code records} in order; a record that cannot be encoded or is too large raises {@link StoreException}. */
    public static Encoded encode(List<EventRecord> records) {
        Buffer buffer = BUFFERS.get();
        buffer.count = 0;
        int[] offsets = new int[records.size()];
        try {
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = buffer.count;
                frame(buffer, records.get(i));
            }
            return new Encoded(Arrays.copyOf(buffer.bytes, buffer.count), offsets);
        } finally {
            if (buffer.bytes.length > KEPT_BUFFER_BYTES) {
                BUFFERS.remove();
            }
        }
    }

    private static void frame(Buffer buffer, EventRecord record) {
        int start = buffer.count;
        buffer.reserve(Frames.HEADER_BYTES);
        try {
            WorkflowJson.compactMapper().writeValue(buffer, record);
        } catch (IOException e) {
            throw new StoreException(
                    "cannot encode event " + record.sequence() + " of workflow " + record.workflowId(), e);
        }
        int length = buffer.count - start - Frames.HEADER_BYTES;
        if (length > Frames.MAX_PAYLOAD_BYTES) {
            throw new StoreException("record of " + length + " bytes exceeds the store's limit of "
                    + Frames.MAX_PAYLOAD_BYTES + " bytes");
        }
        Frames.writeHeader(ByteBuffer.wrap(buffer.bytes, 0, buffer.count), start, RecordKind.EVENT, length);
    }

    /** A growable byte array the encoder writes into; closing it (the encoder does) changes nothing. */
    private static final class Buffer extends OutputStream {
        byte[] bytes = new byte[8192];
        int count;

        void reserve(int n) {
            ensure(n);
            count += n;
        }

        private void ensure(int n) {
            if (bytes.length - count < n) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + n));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, count, length);
            count += length;
        }
    }
}
