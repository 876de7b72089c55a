package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.store.WorkflowStore.CompactionResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rewrites the sealed segments into one compacted base: per workflow, its latest snapshot among them and the events
 * still needed. Appends carry on meanwhile: compaction first seals the active segment (between two commits), then
 * works only on segments nothing writes to any more, and repoints the index at the end.
 *
 * <p>Crash safety: the base is written under a temporary name and synced, renamed over the last sealed segment and
 * the directory synced; only then are the older segments deleted. Its header marks it as a base, so opening finds
 * either the old segments (the temporary file is discarded) or the base (older segments are discarded).
 */
public final class LogCompactor {
    private static final int BUFFER_BYTES = 1 << 20;

    private final SegmentSet segments;
    private final LogIndex index;
    private final GroupCommitWriter writer;
    private final ReentrantLock oneAtATime = new ReentrantLock();
    private boolean closed;

    private final DamageLedger ledger;

    public LogCompactor(SegmentSet segments, LogIndex index, GroupCommitWriter writer, DamageLedger ledger) {
        this.segments = segments;
        this.index = index;
        this.writer = writer;
        this.ledger = ledger;
    }

    /**
     * Keeps, per workflow, its latest snapshot and its events except the longest prefix that the snapshot covers and
     * that is older than {@code eventsBefore}: dropping only a prefix keeps what remains gap-free. Reports the bytes
     * of the segments rewritten and of the base that replaced them.
     */
    public CompactionResult compact(Instant eventsBefore) throws IOException {
        oneAtATime.lock();
        try {
            if (closed) {
                throw new IOException("the store is closed");
            }
            // Taken between two commits, so every log's latest snapshot is among the sealed records: the base can
            // carry the snapshot that justifies dropping events, even if a newer one arrives while it is written.
            Map<WorkflowLog, WorkflowLog.SealedPart> parts = new LinkedHashMap<>();
            List<DamageRecord> damage = new ArrayList<>();
            long lastSealed = writer.exclusively(() -> {
                long last = segments.seal();
                index.durableLogs().forEach(log -> parts.put(log, log.sealedPart(last)));
                damage.addAll(ledger.records());
                return last;
            });
            List<Segment> sealed = segments.sealed(lastSealed);
            if (sealed.isEmpty()) {
                return new CompactionResult(0, 0, 0);
            }
            long bytesBefore = sealed.stream().mapToLong(Segment::size).sum();
            Path target = Segment.pathOf(segments.directory(), lastSealed);
            Path temporary = target.resolveSibling(target.getFileName() + LogRecovery.COMPACTING_SUFFIX);
            List<Runnable> repoints = new ArrayList<>();
            long removed = 0;
            long size;
            try (Segment output = Segment.create(lastSealed, temporary, true)) {
                Output out = new Output(output);
                for (Map.Entry<WorkflowLog, WorkflowLog.SealedPart> part : parts.entrySet()) {
                    removed += rewrite(part.getKey(), part.getValue(), eventsBefore, out, repoints, damage);
                }
                // The evidence outlives the damaged bytes: what no lost event placed above goes at the end.
                for (DamageRecord record : damage) {
                    out.damage(record);
                }
                out.flush();
                output.channel().force(true);
                size = out.position;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            SegmentSet.syncDirectory(segments.directory());
            Segment base = Segment.open(lastSealed, target, size);
            segments.replaceSealedWith(base, () -> repoints.forEach(Runnable::run));
            return new CompactionResult(removed, bytesBefore, size);
        } finally {
            oneAtATime.unlock();
        }
    }

    /** Waits for a running compaction to finish and refuses later ones, so closing never races with one. */
    public void close() {
        oneAtATime.lock();
        try {
            closed = true;
        } finally {
            oneAtATime.unlock();
        }
    }

    /**
     * A workflow's lost events are not copied (there is nothing to copy), but its damage records are written where the
     * loss is, so that opening the base finds the numbers used in order; {@code damage} keeps the records not yet
     * written.
     */
    private long rewrite(
            WorkflowLog log,
            WorkflowLog.SealedPart part,
            Instant eventsBefore,
            Output out,
            List<Runnable> repoints,
            List<DamageRecord> damage)
            throws IOException {
        if (!part.hasSnapshot() && part.eventPositions().length == 0) {
            return 0;
        }
        long newSnapshotPosition = -1;
        if (part.hasSnapshot()) {
            newSnapshotPosition = WorkflowLog.position(out.number(), out.position);
            out.frame(RecordKind.SNAPSHOT, read(part.snapshotPosition(), RecordKind.SNAPSHOT));
        }
        long[] positions = part.eventPositions();
        long covered = part.hasSnapshot() ? part.snapshotSequence() : 0;
        int dropped = 0;
        // A loss is never compacted away: the events after it are the history that reports it.
        while (dropped < positions.length
                && part.firstSequence() + dropped <= covered
                && positions[dropped] != WorkflowLog.NONE) {
            byte[] payload = read(positions[dropped], RecordKind.EVENT);
            Instant at = Objects.requireNonNull(
                    EventHeader.withTimestamp(payload).timestamp(), "a header read with its timestamp has one");
            if (!at.isBefore(eventsBefore)) {
                break;
            }
            dropped++;
        }
        long[] kept = new long[positions.length - dropped];
        String id = log.id().value();
        for (int i = dropped; i < positions.length; i++) {
            if (positions[i] == WorkflowLog.NONE) {
                long sequence = part.firstSequence() + i;
                for (java.util.Iterator<DamageRecord> records = damage.iterator(); records.hasNext(); ) {
                    DamageRecord record = records.next();
                    if (record.isLoss() && id.equals(record.workflowId()) && record.from() <= sequence) {
                        out.damage(record);
                        records.remove();
                    }
                }
                kept[i - dropped] = WorkflowLog.NONE;
                continue;
            }
            kept[i - dropped] = WorkflowLog.position(out.number(), out.position);
            out.frame(RecordKind.EVENT, read(positions[i], RecordKind.EVENT));
        }
        long snapshotPosition = newSnapshotPosition;
        repoints.add(() -> log.compacted(part, kept, snapshotPosition));
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

        long number() {
            return segment.number();
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

        /** A damage record, twice: one bad sector must not erase the evidence. */
        void damage(DamageRecord record) throws IOException {
            byte[] payload = record.encode();
            frame(RecordKind.DAMAGE, payload);
            frame(RecordKind.DAMAGE, payload);
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
