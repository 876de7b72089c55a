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
  private static final long NONE = -1;

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
   * Whether an event read back on open continues this log: the next sequence, or, for the first event kept after
   * compaction, one the snapshot reaches.
   */
  public synchronized boolean continuesWith(long sequence) {
    if (count == 0 && lastSequence == 0) {
      return sequence == 1 || (snapshotPosition != NONE && sequence <= snapshotSequence + 1);
    }
    return sequence == lastSequence + 1;
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

  public synchronized int eventCount() {
    return count;
  }

  public synchronized boolean hasSnapshot() {
    return snapshotPosition != NONE;
  }

  public synchronized long snapshotSequence() {
    return snapshotSequence;
  }

  public synchronized long snapshotPosition() {
    return snapshotPosition;
  }

  /** Positions of up to {@code limit} events with sequence greater than {@code afterSequence}. */
  public synchronized long[] positionsAfter(long afterSequence, int limit) {
    int from = afterSequence < firstSequence ? 0 : (int) Math.min(count, afterSequence - firstSequence + 1);
    int to = (int) Math.min(count, (long) from + Math.max(0, limit));
    return Arrays.copyOfRange(positions, from, to);
  }

  public synchronized long[] eventPositions() {
    return Arrays.copyOf(positions, count);
  }

  /** What replay reads, taken atomically: the snapshot (or {@code -1}) and the events after it. */
  public synchronized ReplayPlan replayPlan() {
    long after = snapshotPosition == NONE ? 0 : snapshotSequence;
    return new ReplayPlan(snapshotPosition, positionsAfter(after, Integer.MAX_VALUE));
  }

  /** Replaces this log's positions with those compaction wrote. */
  public synchronized void replace(long newFirstSequence, long[] newPositions, int newCount, long newSnapshotPosition) {
    positions = newPositions;
    count = newCount;
    firstSequence = newCount == 0 ? lastSequence + 1 : newFirstSequence;
    snapshotPosition = newSnapshotPosition;
  }

  public record ReplayPlan(long snapshotPosition, long[] eventPositions) {
    public boolean hasSnapshot() {
      return snapshotPosition != NONE;
    }
  }
}
