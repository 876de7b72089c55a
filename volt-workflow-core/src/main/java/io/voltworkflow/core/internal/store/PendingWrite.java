package io.voltworkflow.core.internal.store;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Framed records waiting for the writer, as one or more arrays framed before the write was queued, with what to
 * record in the index once they are durable: for each frame its log, kind, sequence and offset within the write.
 * Damage records are kept by the ledger, not indexed.
 */
public final class PendingWrite {
    private final byte[][] chunks;
    private final int length;
    private final WorkflowLog[] logs;
    private final RecordKind[] kinds;
    private final long[] sequences;
    private final int[] offsets;
    private final CompletableFuture<Void> durable = new CompletableFuture<>();

    public PendingWrite(byte[] frames, WorkflowLog[] logs, RecordKind[] kinds, long[] sequences, int[] offsets) {
        this(new byte[][] {frames}, logs, kinds, sequences, offsets);
    }

    /** Frames in several arrays, written back to back; {@code offsets} count from the start of the first. */
    public PendingWrite(byte[][] chunks, WorkflowLog[] logs, RecordKind[] kinds, long[] sequences, int[] offsets) {
        int total = 0;
        for (byte[] chunk : chunks) {
            total += chunk.length;
        }
        this.chunks = chunks;
        this.length = total;
        this.logs = logs;
        this.kinds = kinds;
        this.sequences = sequences;
        this.offsets = offsets;
    }

    /** Bytes this write adds to the log. */
    public int length() {
        return length;
    }

    /** Copies the frames to {@code target}'s position. */
    void copyTo(ByteBuffer target) {
        for (byte[] chunk : chunks) {
            target.put(chunk);
        }
    }

    public CompletableFuture<Void> durable() {
        return durable;
    }

    /** Publishes the records to readers: they were written at {@code offset} of segment {@code segment}. */
    void indexAt(long segment, long offset) {
        for (int i = 0; i < logs.length; i++) {
            long position = WorkflowLog.position(segment, offset + offsets[i]);
            if (kinds[i] == RecordKind.EVENT) {
                logs[i].addEvent(sequences[i], position);
            } else if (kinds[i] == RecordKind.SNAPSHOT) {
                logs[i].setSnapshot(sequences[i], position);
            }
        }
    }

    int count(RecordKind kind) {
        int n = 0;
        for (RecordKind k : kinds) {
            n += k == kind ? 1 : 0;
        }
        return n;
    }
}
