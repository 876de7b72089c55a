package io.voltworkflow.bench.disk;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.StoreReport;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes everything to the real store and remembers every record appended, per workflow, so the same records can
 * be replayed against the raw log (the disk limit) and against a fresh store.
 */
public final class RecordingStore implements WorkflowStore {
    private final WorkflowStore delegate;
    private final Map<WorkflowId, List<EventRecord>> recordsByWorkflow = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();

    public RecordingStore(WorkflowStore delegate) {
        this.delegate = delegate;
    }

    /** Records appended so far. */
    public long records() {
        return records.get();
    }

    public AppendTrace trace() {
        List<List<EventRecord>> lanes = new ArrayList<>();
        for (List<EventRecord> records : recordsByWorkflow.values()) {
            synchronized (records) {
                List<EventRecord> lane = new ArrayList<>(records);
                lane.sort(Comparator.comparingLong(EventRecord::sequence));
                lanes.add(lane);
            }
        }
        return new AppendTrace(lanes);
    }

    @Override
    public CompletableFuture<Void> append(List<EventRecord> batch) {
        remember(batch);
        return delegate.append(batch);
    }

    @Override
    public List<CompletableFuture<Void>> appendEach(List<List<EventRecord>> batches) {
        batches.forEach(this::remember);
        return delegate.appendEach(batches);
    }

    private void remember(List<EventRecord> batch) {
        for (EventRecord record : batch) {
            List<EventRecord> lane = recordsByWorkflow.computeIfAbsent(record.workflowId(), id -> new ArrayList<>());
            synchronized (lane) {
                lane.add(record);
            }
        }
        records.addAndGet(batch.size());
    }

    @Override
    public CompletableFuture<Void> saveSnapshot(WorkflowSnapshot snapshot) {
        return delegate.saveSnapshot(snapshot);
    }

    @Override
    public void replay(ReplayVisitor visitor) {
        delegate.replay(visitor);
    }

    @Override
    public void replay(WorkflowId workflowId, ReplayVisitor visitor) {
        delegate.replay(workflowId, visitor);
    }

    @Override
    public List<EventRecord> read(WorkflowId workflowId, long afterSequence, int limit) {
        return delegate.read(workflowId, afterSequence, limit);
    }

    @Override
    public long firstRetainedSequence(WorkflowId workflowId) {
        return delegate.firstRetainedSequence(workflowId);
    }

    @Override
    public CompactionResult compact(Instant eventsBefore) {
        return delegate.compact(eventsBefore);
    }

    @Override
    public StoreReport verify() {
        return delegate.verify();
    }

    @Override
    public Optional<LeaseManager> leases() {
        return delegate.leases();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
