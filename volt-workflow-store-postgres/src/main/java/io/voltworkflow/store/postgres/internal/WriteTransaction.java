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

/**
 * The SQL of one group commit: a constant number of statements whatever the batch size, each carrying its rows as
 * arrays. Appends are checked against the workflows' last sequences under row locks, so a conflicting writer is
 * named rather than discovered as a key violation, and only its own append is refused.
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

    private WriteTransaction(Connection connection) {
        this.connection = connection;
    }

    /** What a batch did besides writing: the writes it refused, and the leases that finished workflows gave up. */
    record Outcome(Map<PendingWrite, StoreException> refused, Map<WorkflowId, Fence> leasesCleared) {}

    /** Writes a batch in the connection's open transaction (the caller commits). */
    static Outcome write(Connection connection, List<PendingWrite> batch) throws SQLException {
        return new WriteTransaction(connection).write(batch);
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
                Fence fence = append.fences().get(id);
                if (span.state() != null && span.state().isTerminal() && fence != null) {
                    cleared.put(id, fence);
                } else if (span.state() != null && !span.state().isTerminal()) {
                    cleared.remove(id);
                }
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
        try (PreparedStatement append = connection.prepareStatement(APPEND_EVENTS)) {
            append.setArray(1, connection.createArrayOf("text", ids));
            append.setArray(2, connection.createArrayOf("int8", sequences));
            append.setArray(3, connection.createArrayOf("text", timestamps));
            append.setArray(4, connection.createArrayOf("text", types));
            append.setArray(5, connection.createArrayOf("bytea", payloads));
            append.setArray(6, connection.createArrayOf("text", workflowIds));
            append.setArray(7, connection.createArrayOf("int8", lastSequences));
            append.setArray(8, connection.createArrayOf("text", states));
            append.setArray(9, connection.createArrayOf("bool", terminal));
            append.setArray(10, connection.createArrayOf("text", labels));
            append.executeUpdate();
        }
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
        }
    }

    private void createWorkflows(String[] ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CREATE_WORKFLOWS)) {
            statement.setArray(1, connection.createArrayOf("text", ids));
            statement.executeUpdate();
        }
    }
}
