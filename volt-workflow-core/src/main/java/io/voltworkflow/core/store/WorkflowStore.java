package io.voltworkflow.core.store;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Durable home of workflows: an append-only log of {@link EventRecord}s per workflow plus snapshots that let old
 * events go. Stores encode records with {@link EventCodec}. Implementations must keep each workflow's records in
 * sequence order and never expose a record whose predecessors were lost (a torn tail is cut, and reported).
 */
public interface WorkflowStore extends AutoCloseable {

    /**
     * Appends records (any mix of workflows, each workflow's in sequence order). The future completes once they are
     * durable; implementations batch concurrent appends into one write and one sync (group commit).
     */
    CompletableFuture<Void> append(List<EventRecord> records);

    /**
     * Appends several batches, each accepted or refused on its own exactly as if it were passed to
     * {@link #append} in turn (a batch refused for its sequence numbers does not refuse the others); the futures are
     * in the order of {@code batches}. A store that can write them all with one write and one sync overrides this.
     */
    default List<CompletableFuture<Void>> appendEach(List<List<EventRecord>> batches) {
        List<CompletableFuture<Void>> durable = new ArrayList<>(batches.size());
        for (List<EventRecord> batch : batches) {
            try {
                durable.add(append(batch));
            } catch (RuntimeException e) {
                durable.add(CompletableFuture.failedFuture(e));
            }
        }
        return durable;
    }

    /** Saves a snapshot covering its workflow's events up to {@link WorkflowSnapshot#sequence()}. */
    CompletableFuture<Void> saveSnapshot(WorkflowSnapshot snapshot);

    /** Visits every workflow: its latest snapshot (if any), then its events after the snapshot, in order. */
    void replay(ReplayVisitor visitor);

    /** Visits one workflow the same way (used when taking over a workflow another instance owned). */
    void replay(WorkflowId workflowId, ReplayVisitor visitor);

    /** Up to {@code limit} events of a workflow with sequence greater than {@code afterSequence}, in order. */
    List<EventRecord> read(WorkflowId workflowId, long afterSequence, int limit);

    /**
     * The first sequence still readable for a workflow (events before it were compacted into a snapshot); 1 when
     * nothing was compacted.
     */
    long firstRetainedSequence(WorkflowId workflowId);

    /**
     * Drops events that a snapshot covers and that are older than {@code eventsBefore}; reclaims space. Events a
     * reader may still need for gap-free resumption are those newer than the retention window.
     */
    CompactionResult compact(Instant eventsBefore);

    /** Checks every record's integrity without changing anything. */
    StoreReport verify();

    /**
     * Why the store cannot serve now (its database is unreachable), from a recent check this call does not wait for;
     * empty when it can. Readiness probes ask this. Stores inside the process are always available.
     */
    default java.util.Optional<String> unavailability() {
        return java.util.Optional.empty();
    }

    /** The damage this store found in its own records and keeps reporting; {@link DamageReport#NONE} if none. */
    default DamageReport damage() {
        return DamageReport.NONE;
    }

    /**
     * Records, durably, that an operator has seen the damage reported so far: it no longer counts as unacknowledged.
     * The lost ranges stay in the workflows' history.
     */
    default void acknowledgeDamage() {}

    /** Present when several orchestrator instances share this store. */
    default java.util.Optional<LeaseManager> leases() {
        return java.util.Optional.empty();
    }

    /** For stores shared by several instances: every workflow stored, whichever instance runs it. */
    default java.util.Optional<WorkflowCatalog> catalog() {
        return java.util.Optional.empty();
    }

    /** For stores shared by several instances: control requests relayed to the instance holding a lease. */
    default java.util.Optional<ControlRequests> controlRequests() {
        return java.util.Optional.empty();
    }

    /**
     * The notification outbox kept with this store's events (see {@link io.voltworkflow.core.outbox}); empty when the
     * store keeps none.
     */
    default java.util.Optional<io.voltworkflow.core.outbox.DeliveryOutbox> outbox() {
        return java.util.Optional.empty();
    }

    @Override
    void close();

    interface ReplayVisitor {
        void snapshot(WorkflowSnapshot snapshot);

        void event(EventRecord record);
    }

    record CompactionResult(long eventsRemoved, long bytesBefore, long bytesAfter) {}
}
