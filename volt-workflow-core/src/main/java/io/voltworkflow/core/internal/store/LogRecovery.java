package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.StoreReport;
import io.voltworkflow.core.store.WorkflowSnapshot;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Opening and verifying a store directory. On open every frame is checked and indexed: a torn or corrupt tail of
 * the active segment is cut off (only the last commit can be torn, and it was never acknowledged); damage with
 * valid frames after it is skipped and reported, and a workflow's events after a lost one are withheld, so no
 * reader ever sees a gap.
 */
public final class LogRecovery {
  /** Suffix of the file compaction writes before renaming it into place. */
  public static final String COMPACTING_SUFFIX = ".compacting";

  private LogRecovery() {}

  public record Recovered(SegmentSet segments, LogIndex index, StoreReport report) {}

  public static Recovered open(Path directory, long segmentBytes) throws IOException {
    deleteUnfinishedCompactions(directory);
    List<Path> files = segmentFiles(directory);
    files = dropCompactedAway(files);
    Indexer indexer = new Indexer();
    Problems problems = indexer.problems;
    List<Segment> opened = new ArrayList<>();
    long truncated = 0;
    try {
      for (int i = 0; i < files.size(); i++) {
        boolean last = i == files.size() - 1;
        Path file = files.get(i);
        long number = Segment.numberOf(file).orElseThrow();
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file)) {
          MappedByteBuffer data = map(channel, size);
          Optional<Boolean> header = Segment.readHeader(data);
          if (header.isEmpty()) {
            if (last && size <= Segment.HEADER_BYTES) {
              // A crash while a new segment was being created: it never held a record.
              Files.delete(file);
              truncated += size;
              problems.add(file.getFileName() + ": incomplete new segment of " + size + " bytes removed");
              continue;
            }
            throw new StoreException(file + " does not start with a valid segment header: it is damaged or not a"
                + " Volt Workflow log; the store refuses to open rather than lose what follows");
          }
          Segment segment = Segment.open(number, file, size);
          opened.add(segment);
          SegmentScanner.Result result = SegmentScanner.scan(data, Segment.HEADER_BYTES,
              (kind, offset, payload) -> indexer.frame(segment, kind, offset, payload));
          result.damaged().forEach(damage -> problems.add(describe(segment, damage)));
          if (result.tail() != null) {
            SegmentScanner.Damage tail = result.tail();
            if (last) {
              segment.channel().truncate(tail.offset());
              segment.channel().force(true);
              segment.size(tail.offset());
              truncated += tail.length();
              problems.add(file.getFileName() + " offset " + tail.offset() + ": torn tail of " + tail.length()
                  + " bytes cut off (" + tail.description() + ")");
            } else {
              problems.add(describe(segment, tail));
            }
          }
        }
      }
      if (opened.isEmpty()) {
        long number = files.isEmpty() ? 1 : Segment.numberOf(files.get(files.size() - 1)).orElseThrow();
        opened.add(Segment.create(number, Segment.pathOf(directory, number), false));
        SegmentSet.syncDirectory(directory);
      }
    } catch (IOException | RuntimeException e) {
      for (Segment segment : opened) {
        segment.close();
      }
      throw e;
    }
    List<WorkflowLog> logs = indexer.index.durableLogs();
    logs.forEach(WorkflowLog::finishRecovery);
    StoreReport report = new StoreReport(indexer.counts.events, indexer.counts.snapshots, logs.size(), truncated,
        problems.toList());
    return new Recovered(new SegmentSet(directory, segmentBytes, opened), indexer.index, report);
  }

  /** Re-reads every durable byte and checks every frame; changes nothing. */
  public static StoreReport verify(SegmentSet segments, int workflows) throws IOException {
    Problems problems = new Problems();
    Counts counts = new Counts();
    for (Segment segment : segments.all()) {
      MappedByteBuffer data = map(segment.channel(), segment.size());
      if (Segment.readHeader(data).isEmpty()) {
        problems.add(segment.path().getFileName() + " offset 0: damaged segment header");
        continue;
      }
      SegmentScanner.Result result = SegmentScanner.scan(data, Segment.HEADER_BYTES, (kind, offset, payload) -> {
        if (kind == RecordKind.EVENT) {
          counts.events++;
        } else {
          counts.snapshots++;
        }
      });
      result.damaged().forEach(damage -> problems.add(describe(segment, damage)));
      if (result.tail() != null) {
        problems.add(describe(segment, result.tail()));
      }
    }
    return new StoreReport(counts.events, counts.snapshots, workflows, 0, problems.toList());
  }

  /** Indexes frames as they are read back, withholding events that do not continue their workflow. */
  private static final class Indexer {
    private final LogIndex index = new LogIndex();
    private final Counts counts = new Counts();
    private final Problems problems = new Problems();
    /** Saves validating the same workflow id once per record. */
    private final Map<String, WorkflowLog> byRawId = new HashMap<>();

    void frame(Segment segment, RecordKind kind, int offset, ByteBuffer payload) {
      long position = WorkflowLog.position(segment.number(), offset);
      try {
        if (kind == RecordKind.SNAPSHOT) {
          WorkflowSnapshot header = SnapshotPayload.decodeHeader(payload);
          log(header.workflowId().value()).setSnapshot(header.sequence(), position);
          counts.snapshots++;
          return;
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        EventHeader header = EventHeader.identity(bytes);
        WorkflowLog log = log(header.workflowId());
        if (log.continuesWith(header.sequence())) {
          log.addEvent(header.sequence(), position);
          counts.events++;
        } else {
          problems.add(segment.path().getFileName() + " offset " + offset + ": event " + header.sequence()
              + " of workflow " + header.workflowId() + " withheld: it does not follow sequence "
              + log.lastSequence() + " (a record before it was lost)");
        }
      } catch (IllegalArgumentException | BufferUnderflowException e) {
        problems.add(segment.path().getFileName() + " offset " + offset + ": undecodable "
            + kind.name().toLowerCase(Locale.ROOT) + " record (" + e.getMessage() + ")");
      }
    }

    private WorkflowLog log(String rawId) {
      WorkflowLog log = byRawId.get(rawId);
      if (log == null) {
        log = index.getOrCreate(new WorkflowId(rawId));
        byRawId.put(rawId, log);
      }
      return log;
    }
  }

  private static String describe(Segment segment, SegmentScanner.Damage damage) {
    return segment.path().getFileName() + " offset " + damage.offset() + ": " + damage.length()
        + " unreadable bytes skipped (" + damage.description() + ")";
  }

  private static MappedByteBuffer map(FileChannel channel, long size) throws IOException {
    if (size > Integer.MAX_VALUE) {
      throw new IOException("segment of " + size + " bytes is larger than any segment this store writes");
    }
    return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
  }

  private static void deleteUnfinishedCompactions(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(COMPACTING_SUFFIX)).toList()) {
        Files.delete(file);
      }
    }
  }

  private static List<Path> segmentFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> Segment.numberOf(file).isPresent())
          .sorted((a, b) -> Long.compare(Segment.numberOf(a).orElseThrow(), Segment.numberOf(b).orElseThrow()))
          .toList();
    }
  }

  /**
   * Segments below the newest compacted base were folded into it; they remain only if a crash hit between the
   * base's rename and their deletion.
   */
  private static List<Path> dropCompactedAway(List<Path> files) throws IOException {
    int base = -1;
    for (int i = files.size() - 1; i >= 0 && base < 0; i--) {
      if (isCompactedBase(files.get(i))) {
        base = i;
      }
    }
    for (int i = 0; i < base; i++) {
      Files.delete(files.get(i));
    }
    return base <= 0 ? files : files.subList(base, files.size());
  }

  private static boolean isCompactedBase(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer header = ByteBuffer.allocate(Segment.HEADER_BYTES);
      channel.read(header, 0);
      return Segment.readHeader(header.flip()).orElse(false);
    }
  }

  private static final class Counts {
    long events;
    long snapshots;
  }
}
