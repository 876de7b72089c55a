package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.store.WorkflowStore.CompactionResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the whole log into one new segment flagged as a compacted base: per workflow its latest snapshot and the
 * events still needed. Crash safety: the new segment is written under a temporary name and synced, renamed into
 * place and the directory synced; only then are the old segments deleted. Opening finds either the old segments
 * (temporary file discarded) or the base (older segments discarded). Runs between two commits, so appends wait.
 */
public final class LogCompactor {
  private static final int BUFFER_BYTES = 1 << 20;

  private final SegmentSet segments;
  private final LogIndex index;

  public LogCompactor(SegmentSet segments, LogIndex index) {
    this.segments = segments;
    this.index = index;
  }

  /**
   * Keeps, per workflow, its latest snapshot and its events except the longest prefix that the snapshot covers and
   * that is older than {@code eventsBefore}: dropping only a prefix keeps what remains gap-free.
   */
  public CompactionResult compact(Instant eventsBefore) throws IOException {
    long bytesBefore = segments.totalBytes();
    long number = segments.nextNumber();
    Path target = Segment.pathOf(segments.directory(), number);
    Path temporary = target.resolveSibling(target.getFileName() + LogRecovery.COMPACTING_SUFFIX);
    List<Runnable> repoints = new ArrayList<>();
    long removed = 0;
    long size;
    try (Segment output = Segment.create(number, temporary, true)) {
      Output out = new Output(output);
      for (WorkflowLog log : index.durableLogs()) {
        removed += rewrite(log, eventsBefore, out, number, repoints);
      }
      out.flush();
      output.channel().force(true);
      size = out.position;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    SegmentSet.syncDirectory(segments.directory());
    Segment base = Segment.open(number, target, true, size);
    segments.replaceAllWith(base, () -> repoints.forEach(Runnable::run));
    return new CompactionResult(removed, bytesBefore, size);
  }

  private long rewrite(WorkflowLog log, Instant eventsBefore, Output out, long number, List<Runnable> repoints)
      throws IOException {
    long snapshotPosition = -1;
    if (log.hasSnapshot()) {
      snapshotPosition = WorkflowLog.position(number, out.position);
      out.frame(RecordKind.SNAPSHOT, read(log.snapshotPosition(), RecordKind.SNAPSHOT));
    }
    long[] positions = log.eventPositions();
    long first = log.firstSequence();
    long covered = log.hasSnapshot() ? log.snapshotSequence() : 0;
    int dropped = 0;
    while (dropped < positions.length && first + dropped <= covered) {
      byte[] payload = read(positions[dropped], RecordKind.EVENT);
      if (!EventHeader.withTimestamp(payload).timestamp().isBefore(eventsBefore)) {
        break;
      }
      dropped++;
    }
    long[] kept = new long[Math.max(8, positions.length - dropped)];
    for (int i = dropped; i < positions.length; i++) {
      kept[i - dropped] = WorkflowLog.position(number, out.position);
      out.frame(RecordKind.EVENT, read(positions[i], RecordKind.EVENT));
    }
    long keptFirst = first + dropped;
    int keptCount = positions.length - dropped;
    long newSnapshotPosition = snapshotPosition;
    repoints.add(() -> log.replace(keptFirst, kept, keptCount, newSnapshotPosition));
    return dropped;
  }

  private byte[] read(long position, RecordKind kind) {
    return segments.get(WorkflowLog.segmentOf(position)).readPayload(WorkflowLog.offsetOf(position), kind);
  }

  /** Buffered frame writer for the new segment. */
  private static final class Output {
    private final Segment segment;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private long position = Segment.HEADER_BYTES;
    private long flushed = Segment.HEADER_BYTES;

    Output(Segment segment) {
      this.segment = segment;
    }

    void frame(RecordKind kind, byte[] payload) throws IOException {
      int length = Frames.frameLength(payload.length);
      if (length > buffer.remaining()) {
        flush();
      }
      if (length > buffer.capacity()) {
        ByteBuffer large = ByteBuffer.allocate(length);
        Frames.write(large, kind, payload);
        writeFully(large.flip());
      } else {
        Frames.write(buffer, kind, payload);
      }
      position += length;
    }

    void flush() throws IOException {
      writeFully(buffer.flip());
      buffer.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        flushed += segment.channel().write(bytes, flushed);
      }
    }
  }
}
