package io.voltworkflow.core.internal.store;

import java.util.concurrent.CompletableFuture;

/**
 * Framed records waiting for the writer, with what to record in the index once they are durable: for each frame
 * its log, kind, sequence and offset within {@link #frames()}. Damage records are kept by the ledger, not indexed.
 */
public final class PendingWrite {
    private final byte[] frames;
    private final WorkflowLog[] logs;
    private final RecordKind[] kinds;
    private final long[] sequences;
    private final int[] offsets;
    private final CompletableFuture<Void> durable = new CompletableFuture<>();

    public PendingWrite(byte[] frames, WorkflowLog[] logs, RecordKind[] kinds, long[] sequences, int[] offsets) {
        this.frames = frames;
        this.logs = logs;
        this.kinds = kinds;
        this.sequences = sequences;
        this.offsets = offsets;
    }

    public byte[] frames() {
        return frames;
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
