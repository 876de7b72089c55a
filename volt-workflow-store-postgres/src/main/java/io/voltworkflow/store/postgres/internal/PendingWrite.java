package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.store.EventCodec;
import io.voltworkflow.core.store.LeaseLostException;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.store.postgres.internal.HeldLeases.Fence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A write waiting for the next group commit; {@link #done()} completes once the transaction carrying it commits. */
public sealed interface PendingWrite {
    CompletableFuture<Void> done();

    /** How many rows it adds to a batch. */
    int rows();

    /** One {@code append} call: its records commit together or not at all. */
    record Append(
            List<EncodedEvent> events,
            Map<WorkflowId, LogSpan> spans,
            Map<WorkflowId, Fence> fences,
            CompletableFuture<Void> done)
            implements PendingWrite {

        /**
         * Encodes records on the caller's thread (so the writer only writes), checking that each workflow's records
         * are consecutive, and captures the fences of the leases this process holds on their workflows now.
         */
        public static Append of(List<EventRecord> records, HeldLeases leases) {
            Map<WorkflowId, LogSpan> spans = new LinkedHashMap<>();
            List<EncodedEvent> events = new ArrayList<>(records.size());
            for (EventRecord record : records) {
                LogSpan span = spans.get(record.workflowId());
                if (span != null && record.sequence() != span.last() + 1) {
                    throw new StoreException("workflow " + record.workflowId() + ": the records of one append must be"
                            + " consecutive, but sequence " + record.sequence() + " follows " + span.last());
                }
                WorkflowState state = Lifecycle.stateAfter(record.type()).orElse(span == null ? null : span.state());
                String labels = record.event() instanceof WorkflowEvent.WorkflowCreated created
                        ? WorkflowJson.write(created.definition().options().labels())
                        : span == null ? null : span.labels();
                spans.put(
                        record.workflowId(),
                        span == null
                                ? new LogSpan(record.sequence(), record.sequence(), state, labels)
                                : new LogSpan(span.first(), record.sequence(), state, labels));
                events.add(new EncodedEvent(
                        record.workflowId(),
                        record.sequence(),
                        record.timestamp(),
                        record.type().wireName(),
                        EventCodec.encode(record)));
            }
            return new Append(
                    List.copyOf(events), Map.copyOf(spans), leases.fencesOf(spans.keySet()), new CompletableFuture<>());
        }

        @Override
        public int rows() {
            return events.size();
        }

        /** Why this append cannot follow the locked rows of its workflows, if it cannot. */
        Optional<StoreException> conflictWith(Map<WorkflowId, WorkflowRow> rows) {
            for (Map.Entry<WorkflowId, LogSpan> entry : spans.entrySet()) {
                WorkflowId id = entry.getKey();
                // Every workflow of the batch has its row locked (a new one reads as empty) before appends are checked.
                WorkflowRow row = Objects.requireNonNull(rows.get(id), "locked row");
                Optional<StoreException> fenced = row.refuses(id, fences.get(id), "append");
                if (fenced.isPresent()) {
                    return fenced;
                }
                long first = entry.getValue().first();
                long last = row.lastSequence();
                if (first <= last) {
                    return Optional.of(
                            new StoreException("workflow " + id + ": expected sequence " + (last + 1) + " but got "
                                    + first
                                    + ", which another writer has already stored (only the instance holding a workflow's lease"
                                    + " may append to it); nothing of this append was stored"));
                }
                if (first > last + 1) {
                    return Optional.of(new StoreException("workflow " + id + ": expected sequence " + (last + 1)
                            + " but got " + first + ", which would leave a gap; nothing of this append was stored"));
                }
            }
            return Optional.empty();
        }
    }

    /** A snapshot, fenced like an append: only the lease holder's view of a workflow may replace its events. */
    record Snapshot(WorkflowSnapshot snapshot, Optional<Fence> fence, CompletableFuture<Void> done)
            implements PendingWrite {
        public static Snapshot of(WorkflowSnapshot snapshot, HeldLeases leases) {
            WorkflowId id = snapshot.workflowId();
            return new Snapshot(
                    snapshot, Optional.ofNullable(leases.fencesOf(List.of(id)).get(id)), new CompletableFuture<>());
        }

        /** Why this snapshot cannot replace its workflow's events, if it cannot ({@code null}: no event yet). */
        Optional<StoreException> conflictWith(@Nullable WorkflowRow row) {
            if (row == null) {
                return Optional.empty();
            }
            Optional<StoreException> fenced = row.refuses(snapshot.workflowId(), fence.orElse(null), "snapshot");
            if (fenced.isPresent() || snapshot.sequence() <= row.lastSequence()) {
                return fenced;
            }
            // A copy whose memory ran ahead of the log (events the store refused) would otherwise hand every later
            // reader a state whose next sequence leaves a gap, and no instance could write to the workflow again.
            return Optional.of(new StoreException("workflow " + snapshot.workflowId() + ": a snapshot at sequence "
                    + snapshot.sequence() + " is ahead of the stored log, which ends at " + row.lastSequence()
                    + "; nothing of this snapshot was stored"));
        }

        @Override
        public int rows() {
            return 1;
        }
    }

    /**
     * A workflow's summary row as locked by the writing transaction: the log's end, and who holds its lease at which
     * epoch ({@code live}: the lease has not expired by the database's clock).
     */
    record WorkflowRow(
            long lastSequence, boolean terminal, @Nullable String owner, long epoch, boolean live) {
        /** The row once a span is written: a workflow that finishes gives up its lease. */
        WorkflowRow after(LogSpan span) {
            if (span.state() == null) {
                return new WorkflowRow(span.last(), terminal, owner, epoch, live);
            }
            return span.state().isTerminal()
                    ? new WorkflowRow(span.last(), true, null, epoch, false)
                    : new WorkflowRow(span.last(), false, owner, epoch, live);
        }

        /**
         * Why a writer with this fence ({@code null}: it holds no lease) may not write to the workflow. A lease holder
         * may write while its lease is live and its epoch current; once its lease expired, never. After its lease was
         * given up (released, or cleared by the workflow finishing), writes it queued before still commit as long as
         * nobody acquired the lease since: the epoch proves no other writer came in between. A writer without a lease
         * may write only while nobody holds one.
         */
        Optional<StoreException> refuses(WorkflowId id, @Nullable Fence fence, String what) {
            if (fence == null) {
                return owner == null
                        ? Optional.empty()
                        : Optional.of(new LeaseLostException(
                                id,
                                "workflow " + id
                                        + " is leased to '" + owner + "' (epoch " + epoch
                                        + ") and this instance holds no lease on it; nothing of"
                                        + " this " + what + " was stored"));
            }
            boolean current =
                    epoch == fence.epoch() && (owner == null || (fence.owner().equals(owner) && live));
            if (current) {
                return Optional.empty();
            }
            String now = epoch == fence.epoch()
                    ? "it expired"
                    : owner == null
                            ? "it was acquired again since, at epoch " + epoch + ", and released"
                            : "it passed to '" + owner + "' at epoch " + epoch;
            return Optional.of(new LeaseLostException(
                    id,
                    "workflow " + id + ": the lease '" + fence.owner()
                            + "' acquired at epoch " + fence.epoch() + " is no longer held (" + now
                            + "), so this instance may not"
                            + " write to it; nothing of this " + what + " was stored"));
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // the encoded payload is written once and never compared
    record EncodedEvent(WorkflowId workflowId, long sequence, Instant timestamp, String type, byte[] payload) {}

    /**
     * The part of one workflow's log a write covers, and the lifecycle state its last lifecycle event leaves
     * ({@code null} when it has none), and the labels (JSON) of the workflow when the span creates it ({@code null}
     * otherwise).
     */
    record LogSpan(
            long first,
            long last,
            @Nullable WorkflowState state,
            @Nullable String labels) {
        LogSpan followedBy(LogSpan later) {
            return new LogSpan(
                    first,
                    later.last,
                    later.state != null ? later.state : state,
                    later.labels != null ? later.labels : labels);
        }
    }
}
