package io.voltworkflow.core.store;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Keeps everything in memory, for tests and for hosts that do not need durability. It enforces the same
 * contract as durable stores: gap-free sequences per workflow.
 */
public final class InMemoryWorkflowStore implements WorkflowStore {
    private final Map<WorkflowId, Log> logs = new LinkedHashMap<>();
    private final io.voltworkflow.core.outbox.InMemoryOutbox outbox = new io.voltworkflow.core.outbox.InMemoryOutbox();

    @Override
    public java.util.Optional<io.voltworkflow.core.outbox.DeliveryOutbox> outbox() {
        return java.util.Optional.of(outbox);
    }

    @Override
    public synchronized CompletableFuture<Void> append(List<EventRecord> records) {
        // Check the whole batch first: a refused batch leaves nothing behind, as in durable stores. A batch is nearly
        // always one workflow's run of events, so each run looks its workflow up once.
        Map<WorkflowId, Long> nextOfEarlierRuns = null;
        WorkflowId current = null;
        long expected = 0;
        for (int i = 0; i < records.size(); i++) {
            EventRecord record = records.get(i);
            if (!record.workflowId().equals(current)) {
                if (current != null) {
                    if (nextOfEarlierRuns == null) {
                        nextOfEarlierRuns = new HashMap<>();
                    }
                    nextOfEarlierRuns.put(current, expected);
                }
                current = record.workflowId();
                Long continued = nextOfEarlierRuns == null ? null : nextOfEarlierRuns.get(current);
                Log log = logs.get(current);
                expected = continued != null ? continued : log == null ? 1 : log.lastSequence + 1;
            }
            if (record.sequence() != expected) {
                return CompletableFuture.failedFuture(new StoreException("workflow " + record.workflowId()
                        + ": expected sequence " + expected + " but got " + record.sequence()));
            }
            expected++;
        }
        for (int i = 0; i < records.size(); ) {
            WorkflowId run = records.get(i).workflowId();
            Log log = logs.computeIfAbsent(run, id -> new Log());
            for (; i < records.size() && records.get(i).workflowId().equals(run); i++) {
                log.events.add(records.get(i));
                log.lastSequence = records.get(i).sequence();
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> saveSnapshot(WorkflowSnapshot snapshot) {
        Log log = logs.computeIfAbsent(snapshot.workflowId(), id -> new Log());
        if (log.snapshot == null || log.snapshot.sequence() <= snapshot.sequence()) {
            log.snapshot = snapshot;
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void replay(ReplayVisitor visitor) {
        for (WorkflowId id : logs.keySet()) {
            replay(id, visitor);
        }
    }

    @Override
    public synchronized void replay(WorkflowId workflowId, ReplayVisitor visitor) {
        Log log = logs.get(workflowId);
        if (log == null) {
            return;
        }
        long after = 0;
        if (log.snapshot != null) {
            visitor.snapshot(log.snapshot);
            after = log.snapshot.sequence();
        }
        for (EventRecord record : log.events) {
            if (record.sequence() > after) {
                visitor.event(record);
            }
        }
    }

    @Override
    public synchronized List<EventRecord> read(WorkflowId workflowId, long afterSequence, int limit) {
        Log log = logs.get(workflowId);
        if (log == null) {
            return List.of();
        }
        List<EventRecord> result = new ArrayList<>();
        for (EventRecord record : log.events) {
            if (record.sequence() > afterSequence) {
                result.add(record);
                if (result.size() == limit) {
                    break;
                }
            }
        }
        return result;
    }

    @Override
    public synchronized long firstRetainedSequence(WorkflowId workflowId) {
        Log log = logs.get(workflowId);
        return log == null ? 1 : log.firstRetained;
    }

    @Override
    public synchronized CompactionResult compact(Instant eventsBefore) {
        long removed = 0;
        for (Log log : logs.values()) {
            if (log.snapshot == null) {
                continue;
            }
            long covered = log.snapshot.sequence();
            while (!log.events.isEmpty()) {
                EventRecord oldest = log.events.get(0);
                if (oldest.sequence() > covered || !oldest.timestamp().isBefore(eventsBefore)) {
                    break;
                }
                log.events.remove(0);
                log.firstRetained = oldest.sequence() + 1;
                removed++;
            }
        }
        return new CompactionResult(removed, 0, 0);
    }

    @Override
    public synchronized StoreReport verify() {
        long records = logs.values().stream().mapToLong(l -> l.events.size()).sum();
        long snapshots = logs.values().stream().filter(l -> l.snapshot != null).count();
        return new StoreReport(records, snapshots, logs.size(), 0, List.of());
    }

    @Override
    public void close() {}

    private static final class Log {
        final List<EventRecord> events = new ArrayList<>();
        long lastSequence;
        long firstRetained = 1;

        @Nullable
        WorkflowSnapshot snapshot;
    }
}
