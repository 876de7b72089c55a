package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.store.EventCodec;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.WorkflowSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A write waiting for the next group commit; {@link #done()} completes once the transaction carrying it commits. */
public sealed interface PendingWrite {
  CompletableFuture<Void> done();

  /** How many rows it adds to a batch. */
  int rows();

  /** One {@code append} call: its records commit together or not at all. */
  record Append(List<EncodedEvent> events, Map<WorkflowId, LogSpan> spans, CompletableFuture<Void> done)
      implements PendingWrite {

    /**
     * Encodes records on the caller's thread (so the writer only writes), checking that each workflow's records
     * are consecutive.
     */
    public static Append of(List<EventRecord> records) {
      Map<WorkflowId, LogSpan> spans = new LinkedHashMap<>();
      List<EncodedEvent> events = new ArrayList<>(records.size());
      for (EventRecord record : records) {
        LogSpan span = spans.get(record.workflowId());
        if (span != null && record.sequence() != span.last() + 1) {
          throw new StoreException("workflow " + record.workflowId() + ": the records of one append must be"
              + " consecutive, but sequence " + record.sequence() + " follows " + span.last());
        }
        WorkflowState state = Lifecycle.stateAfter(record.type()).orElse(span == null ? null : span.state());
        spans.put(record.workflowId(), span == null
            ? new LogSpan(record.sequence(), record.sequence(), state)
            : new LogSpan(span.first(), record.sequence(), state));
        events.add(new EncodedEvent(record.workflowId(), record.sequence(), record.timestamp(),
            record.type().wireName(), EventCodec.encode(record)));
      }
      return new Append(List.copyOf(events), Map.copyOf(spans), new CompletableFuture<>());
    }

    @Override
    public int rows() {
      return events.size();
    }

    /** Why this append cannot follow the given last sequences, if it cannot. */
    Optional<StoreException> conflictWith(Map<WorkflowId, Long> lastSequences) {
      for (Map.Entry<WorkflowId, LogSpan> entry : spans.entrySet()) {
        WorkflowId id = entry.getKey();
        long first = entry.getValue().first();
        long last = lastSequences.getOrDefault(id, 0L);
        if (first <= last) {
          return Optional.of(new StoreException("workflow " + id + ": expected sequence " + (last + 1) + " but got "
              + first + ", which another writer has already stored (only the instance holding a workflow's lease"
              + " may append to it); nothing of this append was stored"));
        }
        if (first > last + 1) {
          return Optional.of(new StoreException("workflow " + id + ": expected sequence " + (last + 1) + " but got "
              + first + ", which would leave a gap; nothing of this append was stored"));
        }
      }
      return Optional.empty();
    }
  }

  record Snapshot(WorkflowSnapshot snapshot, CompletableFuture<Void> done) implements PendingWrite {
    public Snapshot(WorkflowSnapshot snapshot) {
      this(snapshot, new CompletableFuture<>());
    }

    @Override
    public int rows() {
      return 1;
    }
  }

  record EncodedEvent(WorkflowId workflowId, long sequence, Instant timestamp, String type, byte[] payload) {}

  /**
   * The part of one workflow's log a write covers, and the lifecycle state its last lifecycle event leaves
   * ({@code null} when it has none).
   */
  record LogSpan(long first, long last, WorkflowState state) {
    LogSpan followedBy(LogSpan later) {
      return new LogSpan(first, later.last, later.state != null ? later.state : state);
    }
  }
}
