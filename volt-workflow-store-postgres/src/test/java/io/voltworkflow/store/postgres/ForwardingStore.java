package io.voltworkflow.store.postgres;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.ControlRequests;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.StoreReport;
import io.voltworkflow.core.store.WorkflowCatalog;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The real store with hooks: tests override the calls at which something must happen (a server going away, a
 * failure arriving late) and forward everything else.
 */
class ForwardingStore implements WorkflowStore {
    final PostgresWorkflowStore store;

    ForwardingStore(PostgresWorkflowStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Void> append(List<EventRecord> records) {
        return store.append(records);
    }

    @Override
    public CompletableFuture<Void> saveSnapshot(WorkflowSnapshot snapshot) {
        return store.saveSnapshot(snapshot);
    }

    @Override
    public void replay(ReplayVisitor visitor) {
        store.replay(visitor);
    }

    @Override
    public void replay(WorkflowId workflowId, ReplayVisitor visitor) {
        store.replay(workflowId, visitor);
    }

    @Override
    public List<EventRecord> read(WorkflowId workflowId, long afterSequence, int limit) {
        return store.read(workflowId, afterSequence, limit);
    }

    @Override
    public long firstRetainedSequence(WorkflowId workflowId) {
        return store.firstRetainedSequence(workflowId);
    }

    @Override
    public CompactionResult compact(Instant eventsBefore) {
        return store.compact(eventsBefore);
    }

    @Override
    public StoreReport verify() {
        return store.verify();
    }

    @Override
    public Optional<String> unavailability() {
        return store.unavailability();
    }

    @Override
    public Optional<LeaseManager> leases() {
        return store.leases();
    }

    @Override
    public Optional<WorkflowCatalog> catalog() {
        return store.catalog();
    }

    @Override
    public Optional<ControlRequests> controlRequests() {
        return store.controlRequests();
    }

    @Override
    public void close() {
        store.close();
    }
}
