package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.store.postgres.internal.HeldLeases.Fence;
import io.voltworkflow.store.postgres.internal.PendingWrite.Append;
import io.voltworkflow.store.postgres.internal.PendingWrite.EncodedEvent;
import io.voltworkflow.store.postgres.internal.PendingWrite.LogSpan;
import io.voltworkflow.store.postgres.internal.PendingWrite.Snapshot;
import io.voltworkflow.store.postgres.internal.PendingWrite.WorkflowRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of one group commit: a constant number of statements whatever the batch size, each carrying its rows as
 * arrays. A batch of appends first goes as one statement that writes only if every workflow's log ends where the
 * batch continues it and every fence is still current ({@link #writeIfCurrent}): with the commit, two round trips.
 * When that statement finds anything out of place, or the batch holds snapshots, the batch is written again in a
 * fresh transaction ({@link #write}): appends are checked against the workflows' last sequences under row locks, so
 * a conflicting writer is named rather than discovered as a key violation, and only its own append is refused.
 */
final class WriteTransaction {
    // Ids sorted so that concurrent writers lock rows in the same order.
    private static final String LOCK_WORKFLOWS = """
      SELECT workflow_id, last_sequence, terminal, owner, lease_epoch, lease_expires_at > now()
      FROM workflows WHERE workflow_id = ANY (?::text[])
      ORDER BY workflow_id FOR UPDATE""";
    // The events and the workflows' new last sequences go in one statement, so one round trip: a data-modifying WITH
    // runs exactly once and to completion whether or not the outer statement reads it. A workflow that finishes gives
    // up its lease in the same transaction: nobody renews a finished workflow.
    private static final String APPEND_EVENTS = """
      WITH inserted AS (
        INSERT INTO events (workflow_id, sequence, ts, type, payload)
        SELECT * FROM unnest(?::text[], ?::int8[], ?::text[]::timestamptz[], ?::text[], ?::bytea[]))
      UPDATE workflows AS w
      SET last_sequence = b.last_sequence, state = coalesce(b.state, w.state),
          terminal = coalesce(b.terminal, w.terminal), updated_at = now(),
          owner = CASE WHEN b.terminal THEN NULL ELSE w.owner END,
          lease_expires_at = CASE WHEN b.terminal THEN NULL ELSE w.lease_expires_at END,
          labels = coalesce(b.labels::jsonb, w.labels)
      FROM unnest(?::text[], ?::int8[], ?::text[], ?::bool[], ?::text[])
        AS b (workflow_id, last_sequence, state, terminal, labels)
      WHERE w.workflow_id = b.workflow_id""";
    // The check of the row locks below folded into the append: each workflow's row is updated only where its log ends
    // just before the batch's first record and the fence the batch carries is the current one (the rule of
    // WorkflowRow.refuses), under the row lock the update takes; a concurrent writer is waited for and the condition
    // read again on its result. Events are inserted only for the rows updated, so a mismatch writes nothing that the
    // caller would not roll back, and a count short of the batch's workflows says so.
    private static final String APPEND_IF_CURRENT = """
      WITH b AS (
        SELECT * FROM unnest(?::text[], ?::int8[], ?::text[], ?::bool[], ?::text[], ?::int8[], ?::text[], ?::int8[])
          AS b (workflow_id, last_sequence, state, terminal, labels, after_sequence, fence_owner, fence_epoch)),
      written AS (
        UPDATE workflows AS w
        SET last_sequence = b.last_sequence, state = coalesce(b.state, w.state),
            terminal = coalesce(b.terminal, w.terminal), updated_at = now(),
            owner = CASE WHEN b.terminal THEN NULL ELSE w.owner END,
            lease_expires_at = CASE WHEN b.terminal THEN NULL ELSE w.lease_expires_at END,
            labels = coalesce(b.labels::jsonb, w.labels)
        FROM b
        WHERE w.workflow_id = b.workflow_id AND w.last_sequence = b.after_sequence
          AND CASE WHEN b.fence_owner IS NULL THEN w.owner IS NULL
                   ELSE w.lease_epoch = b.fence_epoch
                        AND (w.owner IS NULL OR (w.owner = b.fence_owner AND w.lease_expires_at > now())) END
        RETURNING w.workflow_id),
      inserted AS (
        INSERT INTO events (workflow_id, sequence, ts, type, payload)
        SELECT e.* FROM unnest(?::text[], ?::int8[], ?::text[]::timestamptz[], ?::text[], ?::bytea[])
          AS e (workflow_id, sequence, ts, type, payload)
        WHERE e.workflow_id IN (SELECT workflow_id FROM written))
      SELECT count(*) FROM written""";
    // A concurrent writer creating the same workflow makes this wait for it, then do nothing.
    private static final String CREATE_WORKFLOWS = """
      INSERT INTO workflows (workflow_id, state, terminal, last_sequence)
      SELECT id, 'created', false, 0 FROM unnest(?::text[]) AS id
      ON CONFLICT (workflow_id) DO NOTHING""";
    // A snapshot never replaces a newer one.
    private static final String UPSERT_SNAPSHOTS = """
      INSERT INTO snapshots AS s (workflow_id, sequence, taken_at, state)
      SELECT * FROM unnest(?::text[], ?::int8[], ?::text[]::timestamptz[], ?::bytea[])
      ON CONFLICT (workflow_id) DO UPDATE
      SET sequence = excluded.sequence, taken_at = excluded.taken_at, state = excluded.state
      WHERE s.sequence <= excluded.sequence""";

    private final Connection connection;
    private final LongAdder roundTrips;

    private WriteTransaction(Connection connection, LongAdder roundTrips) {
        this.connection = connection;
        this.roundTrips = roundTrips;
    }

    /** What a batch did besides writing: the writes it refused, and the leases that finished workflows gave up. */
    record Outcome(Map<PendingWrite, StoreException> refused, Map<WorkflowId, Fence> leasesCleared) {}

    /**
     * Writes a batch of appends in the connection's open transaction in one round trip, if all of them continue
     * their workflows' logs under current fences. Empty when the batch holds anything else, or when the statement
     * found a log or a lease not as the batch expects: then the transaction may hold part of the batch, and the
     * caller rolls it back and writes the batch with {@link #write}, which names what is wrong with which append.
     */
    static Optional<Outcome> writeIfCurrent(Connection connection, List<PendingWrite> batch, LongAdder roundTrips)
            throws SQLException {
        return new WriteTransaction(connection, roundTrips).writeIfCurrent(batch);
    }

    /** Writes a batch in the connection's open transaction (the caller commits), refusing the appends that conflict. */
    static Outcome write(Connection connection, List<PendingWrite> batch, LongAdder roundTrips) throws SQLException {
        return new WriteTransaction(connection, roundTrips).write(batch);
    }

    private Optional<Outcome> writeIfCurrent(List<PendingWrite> batch) throws SQLException {
        Map<WorkflowId, LogSpan> written = new LinkedHashMap<>();
        Map<WorkflowId, Optional<Fence>> fences = new HashMap<>();
        Map<WorkflowId, Fence> cleared = new HashMap<>();
        List<EncodedEvent> events = new ArrayList<>();
        for (PendingWrite write : batch) {
            if (!(write instanceof Append append)) {
                return Optional.empty();
            }
            for (Map.Entry<WorkflowId, LogSpan> entry : append.spans().entrySet()) {
                WorkflowId id = entry.getKey();
                LogSpan span = entry.getValue();
                LogSpan before = written.get(id);
                Optional<Fence> fence = Optional.ofNullable(append.fences().get(id));
                // Appends of one workflow that do not follow each other, or were queued under different leases,
                // are for the checks under row locks to sort out.
                if (before != null && (span.first() != before.last() + 1 || !fence.equals(fences.get(id)))) {
                    return Optional.empty();
                }
                fences.put(id, fence);
                written.merge(id, span, LogSpan::followedBy);
                noteLeaseCleared(cleared, id, span, fence.orElse(null));
            }
            events.addAll(append.events());
        }
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return appendIfCurrent(events, written, fences) == written.size()
                ? Optional.of(new Outcome(Map.of(), cleared))
                : Optional.empty();
    }

    /** A workflow that finishes gives up its lease with the write; one that goes on after that in the batch keeps it. */
    private static void noteLeaseCleared(
            Map<WorkflowId, Fence> cleared, WorkflowId id, LogSpan span, @Nullable Fence fence) {
        if (span.state() != null && span.state().isTerminal() && fence != null) {
            cleared.put(id, fence);
        } else if (span.state() != null && !span.state().isTerminal()) {
            cleared.remove(id);
        }
    }

    @SuppressWarnings("IdentityHashMapUsage") // writes are records: two equal writes are still two callers to answer
    private Outcome write(List<PendingWrite> batch) throws SQLException {
        Map<PendingWrite, StoreException> refused = new IdentityHashMap<>();
        Map<WorkflowId, Fence> cleared = new HashMap<>();
        Map<WorkflowId, WorkflowRow> rows = lockRows(batch);
        List<Append> appends = batch.stream()
                .filter(Append.class::isInstance)
                .map(Append.class::cast)
                .toList();
        if (!appends.isEmpty()) {
            writeAppends(appends, rows, refused, cleared);
        }
        List<Snapshot> accepted = new ArrayList<>();
        for (PendingWrite write : batch) {
            if (write instanceof Snapshot snapshot) {
                snapshot.conflictWith(rows.get(snapshot.snapshot().workflowId()))
                        .ifPresentOrElse(why -> refused.put(snapshot, why), () -> accepted.add(snapshot));
            }
        }
        if (!accepted.isEmpty()) {
            upsertSnapshots(latestSnapshots(accepted));
        }
        return new Outcome(refused, cleared);
    }

    /**
     * Writes the appends that continue their workflows' logs under a current lease, in batch order, and notes why
     * the others cannot.
     */
    private void writeAppends(
            List<Append> appends,
            Map<WorkflowId, WorkflowRow> rows,
            Map<PendingWrite, StoreException> refused,
            Map<WorkflowId, Fence> cleared)
            throws SQLException {
        Map<WorkflowId, LogSpan> written = new LinkedHashMap<>();
        List<EncodedEvent> events = new ArrayList<>();
        for (Append append : appends) {
            Optional<StoreException> conflict = append.conflictWith(rows);
            if (conflict.isPresent()) {
                refused.put(append, conflict.get());
                continue;
            }
            events.addAll(append.events());
            append.spans().forEach((id, span) -> {
                // The rows of every workflow in the batch were locked (a new one reads as empty) before this.
                rows.put(id, Objects.requireNonNull(rows.get(id), "locked row").after(span));
                written.merge(id, span, LogSpan::followedBy);
                noteLeaseCleared(cleared, id, span, append.fences().get(id));
            });
        }
        if (!events.isEmpty()) {
            appendEvents(events, written);
        }
    }

    /**
     * Locks the row of every workflow the batch touches, in id order, creating those of new workflows an append
     * starts.
     */
    private Map<WorkflowId, WorkflowRow> lockRows(List<PendingWrite> batch) throws SQLException {
        TreeSet<String> appended = new TreeSet<>();
        TreeSet<String> all = new TreeSet<>();
        for (PendingWrite write : batch) {
            if (write instanceof Append append) {
                append.spans().keySet().forEach(id -> appended.add(id.value()));
            } else if (write instanceof Snapshot snapshot) {
                all.add(snapshot.snapshot().workflowId().value());
            }
        }
        all.addAll(appended);
        Map<WorkflowId, WorkflowRow> rows = lockWorkflows(all.toArray(String[]::new));
        String[] unknown = appended.stream()
                .filter(id -> !rows.containsKey(new WorkflowId(id)))
                .toArray(String[]::new);
        if (unknown.length > 0) {
            createWorkflows(unknown);
            rows.putAll(lockWorkflows(unknown));
        }
        return rows;
    }

    private Map<WorkflowId, WorkflowRow> lockWorkflows(String[] ids) throws SQLException {
        Map<WorkflowId, WorkflowRow> locked = new HashMap<>();
        if (ids.length == 0) {
            return locked;
        }
        try (PreparedStatement query = connection.prepareStatement(LOCK_WORKFLOWS)) {
            query.setArray(1, connection.createArrayOf("text", ids));
            roundTrips.increment();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    locked.put(
                            new WorkflowId(rows.getString(1)),
                            new WorkflowRow(
                                    rows.getLong(2),
                                    rows.getBoolean(3),
                                    rows.getString(4),
                                    rows.getLong(5),
                                    rows.getBoolean(6)));
                }
            }
        }
        return locked;
    }

    private void appendEvents(List<EncodedEvent> events, Map<WorkflowId, LogSpan> written) throws SQLException {
        try (PreparedStatement append = connection.prepareStatement(APPEND_EVENTS)) {
            int next = setEvents(append, 1, events);
            setSpans(append, next, written);
            append.executeUpdate();
            roundTrips.increment();
        }
    }

    /**
     * Runs {@link #APPEND_IF_CURRENT} (after creating the rows of new workflows written without a lease, in the same
     * round trip) and returns how many workflows' rows it updated.
     */
    private int appendIfCurrent(
            List<EncodedEvent> events, Map<WorkflowId, LogSpan> written, Map<WorkflowId, Optional<Fence>> fences)
            throws SQLException {
        String[] created = written.entrySet().stream()
                .filter(e ->
                        e.getValue().first() == 1 && fenceOf(fences, e.getKey()).isEmpty())
                .map(e -> e.getKey().value())
                .sorted()
                .toArray(String[]::new);
        int w = written.size();
        Long[] after = new Long[w];
        String[] owners = new String[w];
        Long[] epochs = new Long[w];
        int i = 0;
        for (Map.Entry<WorkflowId, LogSpan> entry : written.entrySet()) {
            after[i] = entry.getValue().first() - 1;
            Optional<Fence> fence = fenceOf(fences, entry.getKey());
            owners[i] = fence.map(Fence::owner).orElse(null);
            epochs[i] = fence.map(Fence::epoch).orElse(null);
            i++;
        }
        // Two statements in one round trip: the update must see the rows the insert creates.
        String sql = created.length == 0 ? APPEND_IF_CURRENT : CREATE_WORKFLOWS + ";\n" + APPEND_IF_CURRENT;
        try (PreparedStatement append = connection.prepareStatement(sql)) {
            int next = 1;
            if (created.length > 0) {
                append.setArray(next++, connection.createArrayOf("text", created));
            }
            next = setSpans(append, next, written);
            append.setArray(next++, connection.createArrayOf("int8", after));
            append.setArray(next++, connection.createArrayOf("text", owners));
            append.setArray(next++, connection.createArrayOf("int8", epochs));
            setEvents(append, next, events);
            roundTrips.increment();
            boolean rows = append.execute();
            while (!rows) {
                if (append.getUpdateCount() == -1) {
                    throw new SQLException("the folded append returned no count");
                }
                rows = append.getMoreResults();
            }
            try (ResultSet count = append.getResultSet()) {
                count.next();
                return count.getInt(1);
            }
        }
    }

    private static Optional<Fence> fenceOf(Map<WorkflowId, Optional<Fence>> fences, WorkflowId id) {
        return Objects.requireNonNull(fences.get(id), "every written workflow has its fence noted");
    }

    /** Sets the events' five arrays from parameter {@code first} on; returns the next parameter's index. */
    private int setEvents(PreparedStatement statement, int first, List<EncodedEvent> events) throws SQLException {
        int n = events.size();
        String[] ids = new String[n];
        Long[] sequences = new Long[n];
        String[] timestamps = new String[n];
        String[] types = new String[n];
        byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            EncodedEvent event = events.get(i);
            ids[i] = event.workflowId().value();
            sequences[i] = event.sequence();
            timestamps[i] = event.timestamp().toString();
            types[i] = event.type();
            payloads[i] = event.payload();
        }
        statement.setArray(first, connection.createArrayOf("text", ids));
        statement.setArray(first + 1, connection.createArrayOf("int8", sequences));
        statement.setArray(first + 2, connection.createArrayOf("text", timestamps));
        statement.setArray(first + 3, connection.createArrayOf("text", types));
        statement.setArray(first + 4, connection.createArrayOf("bytea", payloads));
        return first + 5;
    }

    /**
     * Sets the written workflows' five arrays (id, new last sequence, state, terminal, labels) from parameter
     * {@code first} on; returns the next parameter's index.
     */
    private int setSpans(PreparedStatement statement, int first, Map<WorkflowId, LogSpan> written) throws SQLException {
        int w = written.size();
        String[] workflowIds = new String[w];
        Long[] lastSequences = new Long[w];
        String[] states = new String[w];
        Boolean[] terminal = new Boolean[w];
        String[] labels = new String[w];
        int i = 0;
        for (Map.Entry<WorkflowId, LogSpan> entry : written.entrySet()) {
            LogSpan span = entry.getValue();
            workflowIds[i] = entry.getKey().value();
            lastSequences[i] = span.last();
            states[i] = span.state() == null ? null : span.state().wireName();
            terminal[i] = span.state() == null ? null : span.state().isTerminal();
            labels[i] = span.labels();
            i++;
        }
        statement.setArray(first, connection.createArrayOf("text", workflowIds));
        statement.setArray(first + 1, connection.createArrayOf("int8", lastSequences));
        statement.setArray(first + 2, connection.createArrayOf("text", states));
        statement.setArray(first + 3, connection.createArrayOf("bool", terminal));
        statement.setArray(first + 4, connection.createArrayOf("text", labels));
        return first + 5;
    }

    /** One row per workflow (an upsert cannot touch a row twice): the newest of the batch's snapshots. */
    private static List<WorkflowSnapshot> latestSnapshots(List<Snapshot> snapshots) {
        Map<WorkflowId, WorkflowSnapshot> latest = new LinkedHashMap<>();
        for (Snapshot pending : snapshots) {
            latest.merge(
                    pending.snapshot().workflowId(),
                    pending.snapshot(),
                    (older, newer) -> newer.sequence() >= older.sequence() ? newer : older);
        }
        return List.copyOf(latest.values());
    }

    private void upsertSnapshots(List<WorkflowSnapshot> snapshots) throws SQLException {
        int n = snapshots.size();
        String[] ids = new String[n];
        Long[] sequences = new Long[n];
        String[] takenAt = new String[n];
        byte[][] states = new byte[n][];
        for (int i = 0; i < n; i++) {
            WorkflowSnapshot snapshot = snapshots.get(i);
            ids[i] = snapshot.workflowId().value();
            sequences[i] = snapshot.sequence();
            takenAt[i] = snapshot.takenAt().toString();
            states[i] = snapshot.state();
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_SNAPSHOTS)) {
            upsert.setArray(1, connection.createArrayOf("text", ids));
            upsert.setArray(2, connection.createArrayOf("int8", sequences));
            upsert.setArray(3, connection.createArrayOf("text", takenAt));
            upsert.setArray(4, connection.createArrayOf("bytea", states));
            upsert.executeUpdate();
            roundTrips.increment();
        }
    }

    private void createWorkflows(String[] ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CREATE_WORKFLOWS)) {
            statement.setArray(1, connection.createArrayOf("text", ids));
            statement.executeUpdate();
            roundTrips.increment();
        }
    }
}
