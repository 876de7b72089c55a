package io.voltworkflow.bench.disk;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.StoreReport;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes everything to the real store and remembers each append call, per workflow in call order, so the same
 * calls can be replayed against the raw log (the disk limit) and against a fresh store.
 */
public final class RecordingStore implements WorkflowStore {
  private final WorkflowStore delegate;
  private final Map<WorkflowId, List<List<EventRecord>>> callsByWorkflow = new ConcurrentHashMap<>();
  private final AtomicLong records = new AtomicLong();

  public RecordingStore(WorkflowStore delegate) {
    this.delegate = delegate;
  }

  /** Records appended so far. */
  public long records() {
    return records.get();
  }

  public AppendTrace trace() {
    return new AppendTrace(List.copyOf(callsByWorkflow.values()));
  }

  @Override
  public CompletableFuture<Void> append(List<EventRecord> batch) {
    if (!batch.isEmpty()) {
      List<List<EventRecord>> calls = callsByWorkflow.computeIfAbsent(batch.get(0).workflowId(), id -> new ArrayList<>());
      synchronized (calls) {
        calls.add(List.copyOf(batch));
      }
      records.addAndGet(batch.size());
    }
    return delegate.append(batch);
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
