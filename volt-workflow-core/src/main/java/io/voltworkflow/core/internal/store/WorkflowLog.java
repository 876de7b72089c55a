package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.model.WorkflowId;
import java.util.Arrays;

/**
 * Where one workflow's durable records are: the positions of its events (contiguous sequences from
 * {@link #firstSequence()}) and of its latest snapshot. A position packs the segment number above
 * {@link #OFFSET_BITS} bits of file offset.
 */
public final class WorkflowLog {
    public static final int OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    /** The position of a lost event: its sequence is used, its record is gone (see {@link DamageRecord}). */
    public static final long NONE = -1;

    private final WorkflowId id;
    private final long creationOrder;
    private long[] positions = new long[8];
    private int count;
    private long firstSequence = 1;
    private long lastSequence;
    private long snapshotPosition = NONE;
    private long snapshotSequence;
    /** The last sequence accepted for writing (durable or queued); guarded by the store's append lock. */
    private long reservedSequence;
    /** While opening: the position of this workflow's last record of any kind, to tell which damage may be its. */
    private long lastRecordPosition = NONE;

    public WorkflowLog(WorkflowId id, long creationOrder) {
        this.id = id;
        this.creationOrder = creationOrder;
    }

    public static long position(long segment, long offset) {
        return segment << OFFSET_BITS | offset;
    }

    public static long segmentOf(long position) {
        return position >>> OFFSET_BITS;
    }

    public static long offsetOf(long position) {
        return position & OFFSET_MASK;
    }

    public WorkflowId id() {
        return id;
    }

    public long creationOrder() {
        return creationOrder;
    }

    public long reservedSequence() {
        return reservedSequence;
    }

    public void reserve(long sequence) {
        reservedSequence = sequence;
    }

    /**
     * The first sequence an event read back on open may have without leaving a hole before it: the next one, or, for
     * the first event kept after compaction, any the snapshot reaches (then the answer is {@code sequence} itself).
     */
    public synchronized long expectedBefore(long sequence) {
        if (count == 0 && lastSequence == 0) {
            return snapshotPosition != NONE && sequence <= snapshotSequence + 1
                    ? sequence
                    : snapshotPosition != NONE ? snapshotSequence + 1 : 1;
        }
        return lastSequence + 1;
    }

    /** Marks {@code from..to} lost (their numbers stay used); the part up to {@link #lastSequence()} is known already. */
    public synchronized void addLost(long from, long to) {
        long start = count == 0 && lastSequence == 0 ? from : Math.max(from, lastSequence + 1);
        for (long sequence = start; sequence <= to; sequence++) {
            addEvent(sequence, NONE);
        }
    }

    /**
     * Marks {@code from} up to the first retained event lost: a log that starts after 1 looks compacted, but an event
     * known to have been before its start, in damaged bytes, was not compacted away.
     */
    public synchronized void addLostBefore(long from) {
        if (count == 0 || from >= firstSequence) {
            return;
        }
        int shift = (int) (firstSequence - from);
        long[] moved = new long[Math.max(positions.length, count + shift)];
        Arrays.fill(moved, 0, shift, NONE);
        System.arraycopy(positions, 0, moved, shift, count);
        positions = moved;
        count += shift;
        firstSequence = from;
    }

    public synchronized void sawRecordAt(long position) {
        lastRecordPosition = position;
    }

    public synchronized long lastRecordPosition() {
        return lastRecordPosition;
    }

    /** The position of the last event, or {@link #NONE} (none, or it is lost). */
    public synchronized long lastEventPosition() {
        return count == 0 ? NONE : positions[count - 1];
    }

    public synchronized boolean hasSnapshot() {
        return snapshotPosition != NONE;
    }

    public synchronized long snapshotSequence() {
        return snapshotSequence;
    }

    /**
     * Whether the workflow's state can be rebuilt from what remains: from a snapshot, or from its first event (which
     * creates it).
     */
    public synchronized boolean rebuildable() {
        return snapshotPosition != NONE || (count > 0 && firstSequence == 1 && positions[0] != NONE);
    }

    public synchronized void addEvent(long sequence, long position) {
        if (count == 0) {
            firstSequence = sequence;
        }
        if (count == positions.length) {
            positions = Arrays.copyOf(positions, count * 2);
        }
        positions[count++] = position;
        lastSequence = sequence;
    }

    /**
     * Keeps the snapshot unless one covering more is already kept: a snapshot never moves back, since events it made
     * redundant may already have been compacted away.
     */
    public synchronized void setSnapshot(long sequence, long position) {
        if (snapshotPosition != NONE && sequence < snapshotSequence) {
            return;
        }
        snapshotSequence = sequence;
        snapshotPosition = position;
    }

    /** After reading the log back: a snapshot that outlived all its events still fixes the next sequence. */
    public synchronized void finishRecovery() {
        if (count == 0 && snapshotPosition != NONE && lastSequence < snapshotSequence) {
            lastSequence = snapshotSequence;
            firstSequence = snapshotSequence + 1;
        }
        reservedSequence = lastSequence;
    }

    public synchronized boolean isEmpty() {
        return count == 0 && snapshotPosition == NONE;
    }

    public synchronized long firstSequence() {
        return count == 0 ? lastSequence + 1 : firstSequence;
    }

    public synchronized long lastSequence() {
        return lastSequence;
    }

    /** Positions of up to {@code limit} events with sequence greater than {@code afterSequence}. */
    public synchronized long[] positionsAfter(long afterSequence, int limit) {
        return windowAfter(afterSequence, limit).positions();
    }

    /**
     * Positions ({@link #NONE} for lost events) of up to {@code limit} sequences greater than {@code afterSequence},
     * with the sequence of the first.
     */
    public synchronized Window windowAfter(long afterSequence, int limit) {
        int from = afterSequence < firstSequence ? 0 : (int) Math.min(count, afterSequence - firstSequence + 1);
        int to = (int) Math.min(count, (long) from + Math.max(0, limit));
        return new Window(firstSequence + from, Arrays.copyOfRange(positions, from, to));
    }

    /** What replay reads, taken atomically: the snapshot (or {@code -1}) and the events after it. */
    public synchronized ReplayPlan replayPlan() {
        long after = snapshotPosition == NONE ? 0 : snapshotSequence;
        Window window = windowAfter(after, Integer.MAX_VALUE);
        return new ReplayPlan(id, snapshotPosition, after, window.firstSequence(), window.positions(), lastSequence);
    }

    /** What of this log lies in segments up to {@code lastSegment}: a prefix of its events, maybe its snapshot. */
    public synchronized SealedPart sealedPart(long lastSegment) {
        int sealed = 0;
        // Lost events have no segment; they were all noted on open, before anything newer was appended.
        while (sealed < count && (positions[sealed] == NONE || segmentOf(positions[sealed]) <= lastSegment)) {
            sealed++;
        }
        boolean snapshotSealed = snapshotPosition != NONE && segmentOf(snapshotPosition) <= lastSegment;
        return new SealedPart(
                firstSequence,
                Arrays.copyOf(positions, sealed),
                snapshotSealed ? snapshotPosition : NONE,
                snapshotSealed ? snapshotSequence : 0);
    }

    /**
     * After compaction rewrote {@code part}: its events become {@code kept} (the last {@code kept.length} of them, at
     * new positions) and its snapshot moves to {@code newSnapshotPosition}, unless a newer one arrived meanwhile.
     * Events appended since stay as they are.
     */
    public synchronized void compacted(SealedPart part, long[] kept, long newSnapshotPosition) {
        int replaced = part.eventPositions().length;
        long[] merged = new long[Math.max(8, kept.length + count - replaced)];
        System.arraycopy(kept, 0, merged, 0, kept.length);
        System.arraycopy(positions, replaced, merged, kept.length, count - replaced);
        firstSequence = firstSequence + replaced - kept.length;
        count = kept.length + count - replaced;
        positions = merged;
        if (part.hasSnapshot() && snapshotPosition == part.snapshotPosition()) {
            snapshotPosition = newSnapshotPosition;
        }
        if (count == 0) {
            firstSequence = lastSequence + 1;
        }
    }

    /** A log's records in sealed segments, as compaction found them. */
    public record SealedPart(long firstSequence, long[] eventPositions, long snapshotPosition, long snapshotSequence) {
        public boolean hasSnapshot() {
            return snapshotPosition != NONE;
        }
    }

    /**
     * The snapshot covering {@code snapshotSequence} (or none), then the positions of the sequences from
     * {@code firstSequence}, up to {@code lastSequence} (later numbers may be lost).
     */
    public record ReplayPlan(
            WorkflowId workflowId,
            long snapshotPosition,
            long snapshotSequence,
            long firstSequence,
            long[] eventPositions,
            long lastSequence) {
        public boolean hasSnapshot() {
            return snapshotPosition != NONE;
        }
    }

    /** Positions of consecutive sequences from {@code firstSequence}. */
    public record Window(long firstSequence, long[] positions) {}
}
