package io.voltworkflow.core.store;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.internal.store.DamageLedger;
import io.voltworkflow.core.internal.store.DamageRecord;
import io.voltworkflow.core.internal.store.DirectoryLock;
import io.voltworkflow.core.internal.store.EventFrames;
import io.voltworkflow.core.internal.store.Frames;
import io.voltworkflow.core.internal.store.GroupCommitWriter;
import io.voltworkflow.core.internal.store.LogCompactor;
import io.voltworkflow.core.internal.store.LogIndex;
import io.voltworkflow.core.internal.store.LogRecovery;
import io.voltworkflow.core.internal.store.PendingWrite;
import io.voltworkflow.core.internal.store.RecordKind;
import io.voltworkflow.core.internal.store.SegmentSet;
import io.voltworkflow.core.internal.store.SnapshotPayload;
import io.voltworkflow.core.internal.store.WorkflowLog;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.file.FileStoreOptions;
import io.voltworkflow.core.store.file.FileStoreStatistics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The embedded durable store: an append-only log of checksummed records in segment files under one directory, with
 * group commit, an in-memory index for reads and replay, and compaction into snapshots.
 *
 * <p>Guarantees: a future returned by {@link #append} or {@link #saveSnapshot} completes only after its records
 * were written and forced to disk; records become readable at the same moment. Each workflow's sequences are
 * accepted only in order and without gaps, checked when {@code append} is called. On open a torn or corrupt tail is
 * cut off and damage in the middle is skipped, both named in {@link #openReport()}; no reader ever sees a record
 * whose predecessors were lost. One process at a time may open a directory.
 *
 * <p>Futures complete on the store's single completion thread: continuations attached to them must not wait for
 * another of this store's futures (hand such work to another executor).
 */
public final class FileWorkflowStore implements WorkflowStore {
    private static final System.Logger LOG = System.getLogger(FileWorkflowStore.class.getName());
    private static final int REPLAY_CHUNK = 512;

    private final FileStoreOptions options;
    private final DirectoryLock lock;
    private final SegmentSet segments;
    private final LogIndex index;
    private final GroupCommitWriter writer;
    private final LogCompactor compactor;
    private final StoreReport openReport;
    private final DamageLedger ledger;
    /** Orders sequence checks with queueing, so the log holds each workflow's records in the order checked. */
    private final Lock appendLock = new ReentrantLock();

    private volatile boolean closed;
    /** Opened on first use: stores of hosts that send no notifications keep no journal. */
    private io.voltworkflow.core.internal.store.@Nullable OutboxJournal outbox;

    /** Opens (or creates) a store in {@code directory} with default options. */
    public FileWorkflowStore(Path directory) {
        this(FileStoreOptions.builder(directory).build());
    }

    public FileWorkflowStore(FileStoreOptions options) {
        this.options = options;
        Path directory = options.directory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create store directory " + directory + ": " + e.getMessage(), e);
        }
        DirectoryLock acquired = null;
        try {
            acquired = DirectoryLock.acquire(directory);
            LogRecovery.Recovered recovered = LogRecovery.open(directory, options.segmentBytes(), Instant.now());
            this.lock = acquired;
            this.segments = recovered.segments();
            this.index = recovered.index();
            this.openReport = recovered.report();
            this.ledger = recovered.ledger();
            this.writer = new GroupCommitWriter(segments, options.queueCapacity(), options.maxBatchWrites());
            this.compactor = new LogCompactor(segments, index, writer, ledger);
            // Damage found now is on disk before anyone can append: the numbers it set aside are never handed out
            // again.
            if (!recovered.found().isEmpty()) {
                try {
                    record(recovered.found()).join();
                } catch (RuntimeException e) {
                    close();
                    throw new StoreException(
                            "cannot record the damage found in " + directory + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(acquired);
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreException("cannot open store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** What opening found: records and workflows read, and any torn tail or damage, with file and offset. */
    public StoreReport openReport() {
        return openReport;
    }

    public FileStoreStatistics statistics() {
        return writer.statistics();
    }

    /** The outbox journal in this store's directory, beside the event log and under the same directory lock. */
    @Override
    public synchronized java.util.Optional<io.voltworkflow.core.outbox.DeliveryOutbox> outbox() {
        if (closed) {
            throw new StoreException("the store in " + directory() + " is closed");
        }
        if (outbox == null) {
            outbox = io.voltworkflow.core.internal.store.OutboxJournal.open(directory(), Instant.now());
            if (!outbox.problems().isEmpty()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "the outbox journal in " + directory() + " was repaired on open: " + outbox.problems()
                                + "; notifications whose lines were skipped may be sent again or not at all");
            }
        }
        return java.util.Optional.of(outbox);
    }

    public Path directory() {
        return options.directory();
    }

    @Override
    public CompletableFuture<Void> append(List<EventRecord> records) {
        return appendEach(List.of(records)).get(0);
    }

    /**
     * Encodes and frames each batch on the calling thread before taking the lock, then checks each batch's sequence
     * numbers on its own and queues every accepted batch as one write: they share one write, one sync and one
     * future. Under the lock nothing is encoded or copied.
     */
    @Override
    public List<CompletableFuture<Void>> appendEach(List<List<EventRecord>> batches) {
        List<CompletableFuture<Void>> results = new ArrayList<>(batches.size());
        List<EventFrames.@Nullable Encoded> encoded = new ArrayList<>(batches.size());
        for (List<EventRecord> records : batches) {
            CompletableFuture<Void> result = records.isEmpty() ? CompletableFuture.completedFuture(null) : null;
            EventFrames.@Nullable Encoded frames = null;
            if (result == null) {
                try {
                    frames = EventFrames.encode(records);
                } catch (StoreException e) {
                    result = CompletableFuture.failedFuture(e);
                }
            }
            results.add(result);
            encoded.add(frames);
        }
        appendLock.lock();
        try {
            StoreException refused = refusal();
            Map<WorkflowId, Long> accepted = new HashMap<>();
            List<Integer> included = new ArrayList<>();
            for (int b = 0; b < batches.size(); b++) {
                if (results.get(b) != null) {
                    continue;
                }
                StoreException problem = refused != null ? refused : sequenceProblem(batches.get(b), accepted);
                if (problem != null) {
                    results.set(b, CompletableFuture.failedFuture(problem));
                } else {
                    included.add(b);
                }
            }
            if (included.isEmpty()) {
                return results;
            }
            PendingWrite write = pendingWrite(batches, encoded, included);
            CompletableFuture<Void> durable = enqueue(write);
            if (!durable.isCompletedExceptionally()) {
                accepted.forEach((id, sequence) -> index.get(id).reserve(sequence));
            }
            included.forEach(b -> results.set(b, durable));
            return results;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Why a batch's sequence numbers do not follow what is already accepted, or {@code null} when they do; then
     * {@code accepted} takes its last numbers. Under the append lock.
     */
    private @Nullable StoreException sequenceProblem(List<EventRecord> records, Map<WorkflowId, Long> accepted) {
        Map<WorkflowId, Long> batch = new HashMap<>();
        for (EventRecord record : records) {
            WorkflowId id = record.workflowId();
            Long last = batch.get(id);
            if (last == null) {
                last = accepted.containsKey(id) ? accepted.get(id) : reservedSequence(id);
            }
            long expected = last + 1;
            if (record.sequence() != expected) {
                return new StoreException(
                        "workflow " + id + ": expected sequence " + expected + " but got " + record.sequence());
            }
            batch.put(id, expected);
        }
        accepted.putAll(batch);
        return null;
    }

    /** The frames of the included batches, in order, as one write of their arrays. Under the append lock. */
    private PendingWrite pendingWrite(
            List<List<EventRecord>> batches, List<EventFrames.@Nullable Encoded> encoded, List<Integer> included) {
        int count = 0;
        for (int b : included) {
            count += batches.get(b).size();
        }
        byte[][] chunks = new byte[included.size()][];
        int[] offsets = new int[count];
        RecordKind[] kinds = new RecordKind[count];
        long[] sequences = new long[count];
        WorkflowLog[] logs = new WorkflowLog[count];
        int i = 0;
        int chunkStart = 0;
        for (int c = 0; c < chunks.length; c++) {
            List<EventRecord> records = batches.get(included.get(c));
            EventFrames.Encoded frames = Objects.requireNonNull(encoded.get(included.get(c)), "framed batch");
            chunks[c] = frames.frames();
            for (int r = 0; r < records.size(); r++, i++) {
                offsets[i] = chunkStart + frames.offsets()[r];
                kinds[i] = RecordKind.EVENT;
                sequences[i] = records.get(r).sequence();
                logs[i] = index.getOrCreate(records.get(r).workflowId());
            }
            chunkStart += frames.frames().length;
        }
        return new PendingWrite(chunks, logs, kinds, sequences, offsets);
    }

    @Override
    public CompletableFuture<Void> saveSnapshot(WorkflowSnapshot snapshot) {
        byte[] payload;
        try {
            payload = checkedSize(SnapshotPayload.encode(snapshot));
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] frame = Frames.frame(RecordKind.SNAPSHOT, payload);
        appendLock.lock();
        try {
            StoreException refused = refusal();
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            PendingWrite write = new PendingWrite(
                    frame,
                    new WorkflowLog[] {index.getOrCreate(snapshot.workflowId())},
                    new RecordKind[] {RecordKind.SNAPSHOT},
                    new long[] {snapshot.sequence()},
                    new int[] {0});
            return enqueue(write);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Decodes workflows in parallel, a chunk at a time, from mappings of the segments, and visits them in order on
     * the caller's thread: reopening a store full of in-flight workflows is bound by decoding, not by I/O.
     */
    @Override
    public void replay(ReplayVisitor visitor) {
        List<WorkflowLog> logs = index.durableLogs();
        for (int from = 0; from < logs.size(); from += REPLAY_CHUNK) {
            List<WorkflowLog> chunk = logs.subList(from, Math.min(logs.size(), from + REPLAY_CHUNK));
            List<Replayed> decoded;
            Lock reading = readLock();
            try {
                // Plans first: every position in them is durable, so mappings made afterwards cover it.
                List<WorkflowLog.ReplayPlan> plans =
                        chunk.stream().map(WorkflowLog::replayPlan).toList();
                Map<Long, ByteBuffer> mapped = new HashMap<>();
                segments.all().forEach(segment -> mapped.put(segment.number(), segment.mapDurable()));
                PayloadSource source = (position, kind) -> segments.get(WorkflowLog.segmentOf(position))
                        .payloadIn(mapped.get(WorkflowLog.segmentOf(position)), WorkflowLog.offsetOf(position), kind);
                decoded =
                        plans.parallelStream().map(plan -> decode(plan, source)).toList();
            } finally {
                reading.unlock();
            }
            decoded.forEach(replayed -> replayed.visit(visitor));
        }
    }

    @Override
    public DamageReport damage() {
        return ledger.report(id -> LogRecovery.rebuildable(index, id));
    }

    @Override
    public void acknowledgeDamage() {
        List<DamageRecord> acknowledged = ledger.records().stream()
                .filter(record -> !record.acknowledged())
                .map(DamageRecord::acknowledge)
                .toList();
        if (!acknowledged.isEmpty()) {
            record(acknowledged).join();
        }
    }

    /** Writes damage records (each twice) and adds them to the ledger once durable. */
    private CompletableFuture<Void> record(List<DamageRecord> records) {
        List<byte[]> payloads = records.stream().map(DamageRecord::encode).toList();
        int bytes = payloads.stream()
                .mapToInt(payload -> 2 * Frames.frameLength(payload.length))
                .sum();
        ByteBuffer frames = ByteBuffer.allocate(bytes);
        for (byte[] payload : payloads) {
            Frames.write(frames, RecordKind.DAMAGE, payload);
            Frames.write(frames, RecordKind.DAMAGE, payload);
        }
        appendLock.lock();
        try {
            StoreException refused = refusal();
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            return enqueue(new PendingWrite(
                            frames.array(), new WorkflowLog[0], new RecordKind[0], new long[0], new int[0]))
                    .thenRun(() -> records.forEach(ledger::add));
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public void replay(WorkflowId workflowId, ReplayVisitor visitor) {
        WorkflowLog log = index.get(workflowId);
        if (log == null) {
            return;
        }
        Replayed replayed;
        Lock reading = readLock();
        try {
            replayed = decode(log.replayPlan(), this::payload);
        } finally {
            reading.unlock();
        }
        replayed.visit(visitor);
    }

    /**
     * The snapshot and the events after it up to the first lost one; if any is lost, one {@code history_lost} record
     * then covers everything to the log's last number: the state is the one before the loss, and the next event
     * takes the next unused number.
     */
    private Replayed decode(WorkflowLog.ReplayPlan plan, PayloadSource source) {
        WorkflowSnapshot snapshot = plan.hasSnapshot()
                ? SnapshotPayload.decode(source.payload(plan.snapshotPosition(), RecordKind.SNAPSHOT))
                : null;
        long[] positions = plan.eventPositions();
        List<EventRecord> events = new ArrayList<>(positions.length);
        long next = plan.snapshotSequence() + 1;
        for (int i = 0; i < positions.length && plan.firstSequence() + i == next; i++) {
            if (positions[i] == WorkflowLog.NONE) {
                break;
            }
            EventRecord event = EventCodec.decode(source.payload(positions[i], RecordKind.EVENT));
            events.add(event);
            next++;
        }
        if (next <= plan.lastSequence()) {
            DamageRecord first = ledger.lossAt(plan.workflowId().value(), next);
            events.add(lostRecord(
                    plan.workflowId(),
                    next,
                    plan.lastSequence(),
                    first == null || first.certain(),
                    "events " + next + ".." + plan.lastSequence()
                            + " are lost or follow a loss (damaged storage); the workflow carries on from its state at "
                            + (next - 1),
                    first == null ? Instant.EPOCH : first.detectedAt()));
        }
        return new Replayed(snapshot, events);
    }

    private static EventRecord lostRecord(
            WorkflowId id, long from, long to, boolean certain, String reason, Instant detectedAt) {
        return new EventRecord(id, to, detectedAt, new WorkflowEvent.HistoryLost(from, to, certain, reason));
    }

    /** One workflow as replay visits it. */
    private record Replayed(@Nullable WorkflowSnapshot snapshot, List<EventRecord> events) {
        void visit(ReplayVisitor visitor) {
            if (snapshot != null) {
                visitor.snapshot(snapshot);
            }
            events.forEach(visitor::event);
        }
    }

    @FunctionalInterface
    private interface PayloadSource {
        byte[] payload(long position, RecordKind kind);
    }

    @Override
    public List<EventRecord> read(WorkflowId workflowId, long afterSequence, int limit) {
        WorkflowLog log = index.get(workflowId);
        if (log == null) {
            return List.of();
        }
        Lock reading = readLock();
        try {
            List<EventRecord> events = new ArrayList<>(Math.min(limit, 1024));
            long after = afterSequence;
            while (events.size() < limit) {
                WorkflowLog.Window window = log.windowAfter(after, limit - events.size());
                long[] positions = window.positions();
                if (positions.length == 0) {
                    break;
                }
                for (int i = 0; i < positions.length && events.size() < limit; i++) {
                    long sequence = window.firstSequence() + i;
                    if (sequence <= after) {
                        continue;
                    }
                    if (positions[i] != WorkflowLog.NONE) {
                        events.add(EventCodec.decode(payload(positions[i], RecordKind.EVENT)));
                        after = sequence;
                        continue;
                    }
                    // A lost range is one record, at its last number, so a page is never empty while history goes on.
                    DamageRecord loss = ledger.lossAt(workflowId.value(), sequence);
                    long to = sequence;
                    while (i + 1 < positions.length
                            && positions[i + 1] == WorkflowLog.NONE
                            && (loss == null || window.firstSequence() + i + 1 <= loss.to())) {
                        i++;
                        to++;
                    }
                    if (loss != null) {
                        to = Math.max(to, Math.min(loss.to(), log.lastSequence()));
                    }
                    events.add(
                            loss == null
                                    ? lostRecord(
                                            workflowId,
                                            sequence,
                                            to,
                                            true,
                                            "events " + sequence + ".." + to + " are lost",
                                            Instant.EPOCH)
                                    : lostRecord(
                                            workflowId,
                                            loss.from(),
                                            to,
                                            loss.certain(),
                                            loss.reason(),
                                            loss.detectedAt()));
                    after = to;
                }
            }
            return events;
        } finally {
            reading.unlock();
        }
    }

    @Override
    public long firstRetainedSequence(WorkflowId workflowId) {
        WorkflowLog log = index.get(workflowId);
        return log == null ? 1 : log.firstSequence();
    }

    @Override
    public CompactionResult compact(Instant eventsBefore) {
        failIfUnusable();
        try {
            return compactor.compact(eventsBefore);
        } catch (IOException e) {
            throw new StoreException(
                    "compaction of " + directory() + " failed; the store is unchanged: " + e.getMessage(), e);
        }
    }

    @Override
    public StoreReport verify() {
        Lock reading = readLock();
        try {
            return LogRecovery.verify(segments, index.durableLogs().size(), damage());
        } catch (IOException e) {
            throw new StoreException("cannot verify " + directory() + ": " + e.getMessage(), e);
        } finally {
            reading.unlock();
        }
    }

    /** Writes and syncs everything already appended, then releases the directory. Idempotent. */
    @Override
    public void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            appendLock.unlock();
        }
        try {
            writer.close();
            compactor.close();
            segments.close();
            synchronized (this) {
                if (outbox != null) {
                    outbox.close();
                }
            }
        } catch (IOException e) {
            throw new StoreException("closing " + directory() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while closing " + directory(), e);
        } finally {
            closeQuietly(lock);
        }
    }

    private long reservedSequence(WorkflowId id) {
        WorkflowLog log = index.get(id);
        return log == null ? 0 : log.reservedSequence();
    }

    /** Queues a write; its future, or a failed one if the caller was interrupted while the queue was full. */
    private CompletableFuture<Void> enqueue(PendingWrite write) {
        try {
            writer.submit(write);
            return write.durable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(
                    new StoreException("interrupted while waiting for room in the write queue of " + directory(), e));
        }
    }

    private @Nullable StoreException refusal() {
        if (closed) {
            return new StoreException("store " + directory() + " is closed");
        }
        Throwable failure = writer.failure();
        return failure == null
                ? null
                : new StoreException(
                        "store " + directory() + " failed and must be reopened: " + failure.getMessage(), failure);
    }

    private void failIfUnusable() {
        StoreException refused;
        appendLock.lock();
        try {
            refused = refusal();
        } finally {
            appendLock.unlock();
        }
        if (refused != null) {
            throw refused;
        }
    }

    private Lock readLock() {
        Lock reading = segments.readLock();
        reading.lock();
        if (closed) {
            reading.unlock();
            throw new StoreException("store " + directory() + " is closed");
        }
        return reading;
    }

    private byte[] payload(long position, RecordKind kind) {
        return segments.get(WorkflowLog.segmentOf(position)).readPayload(WorkflowLog.offsetOf(position), kind);
    }

    private static byte[] checkedSize(byte[] payload) {
        if (payload.length > Frames.MAX_PAYLOAD_BYTES) {
            throw new StoreException("record of " + payload.length + " bytes exceeds the store's limit of "
                    + Frames.MAX_PAYLOAD_BYTES + " bytes");
        }
        return payload;
    }

    private static void closeQuietly(@Nullable DirectoryLock lock) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                // The OS releases the lock with the process anyway; nothing else is at stake.
            }
        }
    }
}
