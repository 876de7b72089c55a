package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.DamageReport;
import io.voltworkflow.core.store.EventCodec;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Opening and verifying a store directory. On open every frame is checked and indexed: a torn or corrupt tail of
 * the active segment is cut off (only the last commit can be torn, and it was never acknowledged). Damage with valid
 * frames after it is skipped, and what it cost becomes {@link DamageRecord}s: unreadable bytes, and per workflow the
 * sequences lost. A loss is exact when later records of the workflow survive (a hole between two events, or a
 * snapshot beyond the last event), or when the damaged bytes are one frame that a single-byte correction identifies.
 * Otherwise every unfinished workflow whose last record came before the damage may have lost events there: as many
 * numbers as the damaged bytes could have held are set aside for it, so that no number is ever used twice.
 */
public final class LogRecovery {
    /** Suffix of the file compaction writes before renaming it into place. */
    public static final String COMPACTING_SUFFIX = ".compacting";

    private LogRecovery() {}

    /** Smallest frame an event can take (header and the shortest encoded event): bounds what damage could hide. */
    static final int MIN_EVENT_FRAME_BYTES = Frames.HEADER_BYTES + 48;

    /** {@code found}: damage seen for the first time, to be recorded durably before the store is used. */
    public record Recovered(
            SegmentSet segments, LogIndex index, StoreReport report, DamageLedger ledger, List<DamageRecord> found) {}

    /** Bytes no frame could be read from, with what a correction could tell about them. */
    private record Region(
            Segment segment, long offset, long length, String description, FrameSalvage.@Nullable Salvaged salvaged) {
        long position() {
            return WorkflowLog.position(segment.number(), offset);
        }
    }

    public static Recovered open(Path directory, long segmentBytes, Instant now) throws IOException {
        deleteUnfinishedCompactions(directory);
        List<Path> files = segmentFiles(directory);
        files = dropCompactedAway(files);
        Indexer indexer = new Indexer();
        Problems problems = indexer.problems;
        List<Segment> opened = new ArrayList<>();
        List<Region> regions = new ArrayList<>();
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
                        if (!looksLikeSegment(data)) {
                            throw new StoreException(
                                    file + " is not a Volt Workflow log (no segment header and no valid record"
                                            + " after where it would end); the store refuses to open rather than guess");
                        }
                    }
                    Segment segment = Segment.open(number, file, size);
                    opened.add(segment);
                    if (header.isEmpty()) {
                        // The frames check themselves; only the compaction-base flag is lost, and it matters only when
                        // older
                        // segments survive a crash, whose duplicate records are then refused below.
                        SegmentScanner.Damage damage =
                                new SegmentScanner.Damage(0, Segment.HEADER_BYTES, "damaged segment header");
                        problems.add(describe(segment, damage));
                        regions.add(new Region(segment, 0, Segment.HEADER_BYTES, damage.description(), null));
                    }
                    SegmentScanner.Result result = SegmentScanner.scan(
                            data,
                            Segment.HEADER_BYTES,
                            (kind, offset, payload) -> indexer.frame(segment, kind, offset, payload));
                    result.damaged().forEach(damage -> {
                        problems.add(describe(segment, damage));
                        regions.add(new Region(
                                segment,
                                damage.offset(),
                                damage.length(),
                                damage.description(),
                                FrameSalvage.salvage(data, (int) damage.offset(), (int) damage.length())));
                    });
                    if (result.tail() != null) {
                        SegmentScanner.Damage tail = result.tail();
                        if (last) {
                            // A torn write is cut; but a whole frame one byte away from valid was written and then
                            // damaged:
                            // the event it held was acknowledged, so its loss is recorded like any other.
                            FrameSalvage.Salvaged salvaged =
                                    FrameSalvage.salvage(data, (int) tail.offset(), (int) tail.length());
                            if (salvaged != null) {
                                regions.add(new Region(
                                        segment,
                                        tail.offset(),
                                        tail.length(),
                                        "damaged last record, cut off",
                                        salvaged));
                            }
                            segment.channel().truncate(tail.offset());
                            segment.channel().force(true);
                            segment.size(tail.offset());
                            truncated += tail.length();
                            problems.add(file.getFileName() + " offset " + tail.offset() + ": torn tail of "
                                    + tail.length() + " bytes cut off (" + tail.description() + ")");
                        } else {
                            problems.add(describe(segment, tail));
                            regions.add(new Region(
                                    segment,
                                    tail.offset(),
                                    tail.length(),
                                    tail.description(),
                                    FrameSalvage.salvage(data, (int) tail.offset(), (int) tail.length())));
                        }
                    }
                }
            }
            if (opened.isEmpty()) {
                long number = files.isEmpty()
                        ? 1
                        : Segment.numberOf(files.get(files.size() - 1)).orElseThrow();
                opened.add(Segment.create(number, Segment.pathOf(directory, number), false));
                SegmentSet.syncDirectory(directory);
            }
        } catch (IOException | RuntimeException e) {
            for (Segment segment : opened) {
                segment.close();
            }
            throw e;
        }
        List<DamageRecord> found;
        try {
            found = new Assessment(indexer, opened, regions, now).run();
        } catch (RuntimeException e) {
            for (Segment segment : opened) {
                segment.close();
            }
            throw e;
        }
        List<WorkflowLog> logs = indexer.index.durableLogs();
        logs.forEach(WorkflowLog::finishRecovery);
        found.forEach(indexer.ledger::add);
        StoreReport report = new StoreReport(
                indexer.counts.events,
                indexer.counts.snapshots,
                logs.size(),
                truncated,
                problems.toList(),
                indexer.ledger.report(id -> rebuildable(indexer.index, id)));
        return new Recovered(
                new SegmentSet(directory, segmentBytes, opened), indexer.index, report, indexer.ledger, found);
    }

    public static boolean rebuildable(LogIndex index, String workflowId) {
        WorkflowLog log = index.get(new WorkflowId(workflowId));
        return log != null && log.rebuildable();
    }

    /** A segment whose header is unreadable is still taken as one if a valid frame starts where the header ends. */
    private static boolean looksLikeSegment(ByteBuffer data) {
        return data.limit() > Segment.HEADER_BYTES && Frames.check(data, Segment.HEADER_BYTES) > 0;
    }

    /**
     * Turns what opening saw into damage records: holes between a workflow's records, snapshots beyond its last event,
     * and the workflows the unreadable regions may have cost events. Only what the ledger does not already hold is
     * returned.
     */
    private static final class Assessment {
        private final Indexer indexer;
        private final List<Segment> segments;
        private final List<Region> regions;
        private final Instant now;
        private final List<DamageRecord> found = new ArrayList<>();

        Assessment(Indexer indexer, List<Segment> segments, List<Region> regions, Instant now) {
            this.indexer = indexer;
            this.segments = segments;
            this.regions = regions;
            this.now = now;
        }

        List<DamageRecord> run() {
            for (Region region : regions) {
                found.add(DamageRecord.skipped(
                        region.segment().path().getFileName().toString(),
                        region.offset(),
                        region.length(),
                        region.description(),
                        now));
            }
            for (Indexer.Hole hole : indexer.holes) {
                lost(
                        hole.log(),
                        hole.from(),
                        hole.to(),
                        true,
                        "events " + hole.from() + ".." + hole.to()
                                + " unreadable (damaged storage); later events survive");
            }
            for (WorkflowLog log : indexer.index.durableLogs()) {
                // With no event left at all, a snapshot is what compaction leaves: nothing is missing.
                if (log.hasSnapshot() && log.lastSequence() > 0 && log.snapshotSequence() > log.lastSequence()) {
                    long from = log.lastSequence() + 1;
                    log.addLost(from, log.snapshotSequence());
                    lost(
                            log,
                            from,
                            log.snapshotSequence(),
                            true,
                            "events " + from + ".." + log.snapshotSequence()
                                    + " unreadable (damaged storage); a snapshot covers them");
                }
            }
            for (Region region : regions) {
                if (!attributed(region)) {
                    setAside(region);
                }
            }
            found.removeIf(indexer.ledger::contains);
            return found;
        }

        /** Whether a correction named the one record the region held; an event lost at a log's end is then recorded. */
        private boolean attributed(Region region) {
            if (region.offset() == 0) {
                return true; // a segment header: it holds no record
            }
            FrameSalvage.Salvaged salvaged = region.salvaged();
            if (salvaged == null) {
                return false;
            }
            if (salvaged.kind() != RecordKind.EVENT) {
                return true; // a snapshot or a damage record: no sequence number was in it (the copy holds the fact)
            }
            EventHeader header;
            try {
                header = EventHeader.identity(salvaged.payload());
            } catch (IllegalArgumentException e) {
                return false;
            }
            WorkflowId id = validId(header.workflowId());
            WorkflowLog log = id == null ? null : indexer.index.get(id);
            if (log == null) {
                return false; // the workflow's every record was in damaged bytes: the skipped bytes are all that is
                // known
            }
            String where = "event " + header.sequence() + " unreadable (damaged storage at "
                    + region.segment().path().getFileName() + " offset " + region.offset() + ")";
            if (header.sequence() > log.lastSequence() && log.lastRecordPosition() < region.position()) {
                long from = log.lastSequence() + 1;
                log.addLost(from, header.sequence());
                lost(log, from, header.sequence(), true, where);
            } else if (header.sequence() < log.firstSequence() && log.lastSequence() >= log.firstSequence()) {
                // Before the first event left, yet still in the log: not compacted away, lost.
                long first = log.firstSequence();
                log.addLostBefore(header.sequence());
                lost(log, header.sequence(), first - 1, true, where);
            }
            return true;
        }

        /** Sets numbers aside for every unfinished workflow that may have had records in the region. */
        private void setAside(Region region) {
            long numbers = Math.max(1, (region.length() + MIN_EVENT_FRAME_BYTES - 1) / MIN_EVENT_FRAME_BYTES);
            for (WorkflowLog log : indexer.index.durableLogs()) {
                if (log.lastRecordPosition() >= region.position() || finished(log)) {
                    continue;
                }
                long from = log.lastSequence() + 1;
                long to = log.lastSequence() + numbers;
                log.addLost(from, to);
                lost(
                        log,
                        from,
                        to,
                        false,
                        "may have been in " + region.length() + " unreadable bytes at "
                                + region.segment().path().getFileName() + " offset " + region.offset()
                                + "; these numbers are set aside, never reused");
            }
        }

        /** Completed and cancelled workflows record nothing more: damage after their last event cannot be theirs. */
        private boolean finished(WorkflowLog log) {
            long position = log.lastEventPosition();
            if (position == WorkflowLog.NONE) {
                return false;
            }
            Segment segment = segments.stream()
                    .filter(s -> s.number() == WorkflowLog.segmentOf(position))
                    .findFirst()
                    .orElse(null);
            if (segment == null) {
                return false;
            }
            try {
                WorkflowEvent event = EventCodec.decode(
                                segment.readPayload(WorkflowLog.offsetOf(position), RecordKind.EVENT))
                        .event();
                return event instanceof WorkflowEvent.WorkflowCompleted
                        || event instanceof WorkflowEvent.WorkflowCancelled;
            } catch (StoreException e) {
                return false;
            }
        }

        private void lost(WorkflowLog log, long from, long to, boolean certain, String reason) {
            String id = log.id().value();
            for (DamageRecord recorded : indexer.ledger.lossesOf(id)) {
                if (recorded.from() <= from && to <= recorded.to()) {
                    return;
                }
            }
            found.add(DamageRecord.lost(id, from, to, certain, reason, now));
        }

        private static @Nullable WorkflowId validId(String raw) {
            try {
                return new WorkflowId(raw);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** Re-reads every durable byte and checks every frame; changes nothing. */
    public static StoreReport verify(SegmentSet segments, int workflows, DamageReport damage) throws IOException {
        Problems problems = new Problems();
        Counts counts = new Counts();
        for (Segment segment : segments.all()) {
            MappedByteBuffer data = map(segment.channel(), segment.size());
            if (Segment.readHeader(data).isEmpty()) {
                problems.add(segment.path().getFileName() + " offset 0: damaged segment header");
            }
            SegmentScanner.Result result = SegmentScanner.scan(data, Segment.HEADER_BYTES, (kind, offset, payload) -> {
                if (kind == RecordKind.EVENT) {
                    counts.events++;
                } else if (kind == RecordKind.SNAPSHOT) {
                    counts.snapshots++;
                }
            });
            result.damaged().forEach(region -> problems.add(describe(segment, region)));
            if (result.tail() != null) {
                problems.add(describe(segment, result.tail()));
            }
        }
        return new StoreReport(counts.events, counts.snapshots, workflows, 0, problems.toList(), damage);
    }

    /** Indexes frames as they are read back; a workflow's events after lost ones are kept, the hole noted. */
    private static final class Indexer {
        private final LogIndex index = new LogIndex();
        private final Counts counts = new Counts();
        private final Problems problems = new Problems();
        private final DamageLedger ledger = new DamageLedger();
        private final List<Hole> holes = new ArrayList<>();
        /** Saves validating the same workflow id once per record. */
        private final Map<String, WorkflowLog> byRawId = new HashMap<>();

        record Hole(WorkflowLog log, long from, long to) {}

        void frame(Segment segment, @Nullable RecordKind kind, int offset, ByteBuffer payload) {
            long position = WorkflowLog.position(segment.number(), offset);
            try {
                if (kind == RecordKind.SNAPSHOT) {
                    WorkflowSnapshot header = SnapshotPayload.decodeHeader(payload);
                    WorkflowLog log = log(header.workflowId().value());
                    log.setSnapshot(header.sequence(), position);
                    log.sawRecordAt(position);
                    counts.snapshots++;
                    return;
                }
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                if (kind == RecordKind.DAMAGE) {
                    DamageRecord record = DamageRecord.decode(bytes);
                    ledger.add(record);
                    if (record.isLoss()) {
                        WorkflowLog log = log(Objects.requireNonNull(record.workflowId(), "a loss names its workflow"));
                        log.addLost(record.from(), record.to());
                        log.sawRecordAt(position);
                    }
                    return;
                }
                EventHeader header = EventHeader.identity(bytes);
                WorkflowLog log = log(header.workflowId());
                long expected = log.expectedBefore(header.sequence());
                if (header.sequence() < expected) {
                    problems.add(segment.path().getFileName() + " offset " + offset + ": event " + header.sequence()
                            + " of workflow " + header.workflowId() + " withheld: sequence " + log.lastSequence()
                            + " is already there");
                    return;
                }
                if (header.sequence() > expected) {
                    log.addLost(expected, header.sequence() - 1);
                    holes.add(new Hole(log, expected, header.sequence() - 1));
                }
                log.addEvent(header.sequence(), position);
                log.sawRecordAt(position);
                counts.events++;
            } catch (IllegalArgumentException | BufferUnderflowException e) {
                problems.add(segment.path().getFileName() + " offset " + offset + ": undecodable "
                        + (kind == null ? "unknown kind of" : kind.name().toLowerCase(Locale.ROOT)) + " record ("
                        + e.getMessage() + ")");
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
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(COMPACTING_SUFFIX))
                    .toList()) {
                Files.delete(file);
            }
        }
    }

    private static List<Path> segmentFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> Segment.numberOf(file).isPresent())
                    .sorted((a, b) -> Long.compare(
                            Segment.numberOf(a).orElseThrow(),
                            Segment.numberOf(b).orElseThrow()))
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
