package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.EventCodec;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore.ReplayVisitor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the log. Replay merges two cursors, snapshots and the events after them, both in workflow id order, inside
 * one read-only transaction: memory holds a fetch window whatever the size of the log, and the two agree.
 */
public final class LogReader {
    private static final String SNAPSHOTS = "SELECT workflow_id, sequence, taken_at, state FROM snapshots";
    private static final String EVENTS_AFTER_SNAPSHOTS = """
      SELECT e.workflow_id, e.sequence, e.payload FROM events e LEFT JOIN snapshots s ON s.workflow_id = e.workflow_id
      WHERE (s.sequence IS NULL OR e.sequence > s.sequence)""";
    private static final String ONE_WORKFLOW = " WHERE workflow_id = ?";
    private static final String IN_ORDER = " ORDER BY workflow_id";
    private static final String EVENTS_OF_ONE_WORKFLOW = " AND e.workflow_id = ?";
    private static final String EVENTS_IN_ORDER = " ORDER BY e.workflow_id, e.sequence";

    private final Database database;
    private final int fetchSize;

    public LogReader(Database database, int fetchSize) {
        this.database = database;
        this.fetchSize = fetchSize;
    }

    public void replay(ReplayVisitor visitor) {
        replay("replay the store", SNAPSHOTS + IN_ORDER, EVENTS_AFTER_SNAPSHOTS + EVENTS_IN_ORDER, null, visitor);
    }

    public void replay(WorkflowId workflowId, ReplayVisitor visitor) {
        replay(
                "replay workflow " + workflowId,
                SNAPSHOTS + ONE_WORKFLOW,
                EVENTS_AFTER_SNAPSHOTS + EVENTS_OF_ONE_WORKFLOW + EVENTS_IN_ORDER,
                workflowId,
                visitor);
    }

    /** A broken connection is retried only until the visitor has seen something: it must not see anything twice. */
    private void replay(
            String action, String snapshotSql, String eventSql, @Nullable WorkflowId only, ReplayVisitor visitor) {
        database.consistentReadStatements(action, connection -> {
            CountingVisitor counting = new CountingVisitor(visitor);
            try {
                replay(connection, snapshotSql, eventSql, only, counting);
            } catch (SQLException e) {
                if (counting.visits > 0) {
                    throw SqlFailures.translate(action, database.safeUrl(), e);
                }
                throw e;
            }
        });
    }

    public List<EventRecord> read(WorkflowId workflowId, long afterSequence, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return database.autoCommit("read events of workflow " + workflowId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT sequence, payload FROM events WHERE workflow_id = ? AND sequence > ? ORDER BY sequence LIMIT ?")) {
                query.setString(1, workflowId.value());
                query.setLong(2, afterSequence);
                query.setInt(3, limit);
                List<EventRecord> records = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        records.add(decodeOrLost(workflowId.value(), rows.getLong(1), rows.getBytes(2)));
                    }
                }
                return records;
            }
        });
    }

    /** The oldest retained event; past the last one when everything was compacted; 1 for an unknown workflow. */
    public long firstRetainedSequence(WorkflowId workflowId) {
        return database.autoCommit("read workflow " + workflowId, connection -> {
            try (PreparedStatement query = connection.prepareStatement("""
          SELECT coalesce((SELECT min(sequence) FROM events WHERE workflow_id = ?),
                          (SELECT last_sequence + 1 FROM workflows WHERE workflow_id = ?), 1)""")) {
                query.setString(1, workflowId.value());
                query.setString(2, workflowId.value());
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /**
     * Decodes a stored payload and checks that it is the event its row says it is; a mismatch or undecodable bytes
     * raise a {@link StoreException} naming the position.
     */
    static EventRecord decode(String workflowId, long sequence, byte[] payload) {
        EventRecord record;
        try {
            record = EventCodec.decode(payload);
        } catch (StoreException e) {
            throw new StoreException("workflow " + workflowId + ", event " + sequence + ": " + e.getMessage(), e);
        }
        if (!record.workflowId().value().equals(workflowId) || record.sequence() != sequence) {
            throw new StoreException("workflow " + workflowId + ", event " + sequence + ": the payload is event "
                    + record.sequence() + " of workflow " + record.workflowId());
        }
        return record;
    }

    /**
     * The event, or, for a row whose payload does not decode (damaged storage), a {@code history_lost} record at its
     * sequence: the number stays used and the reader is told, instead of failing every read after it.
     */
    static EventRecord decodeOrLost(String workflowId, long sequence, byte[] payload) {
        try {
            return decode(workflowId, sequence, payload);
        } catch (StoreException e) {
            return lost(
                    workflowId, sequence, sequence, Objects.toString(e.getMessage(), "the payload does not decode"));
        }
    }

    private static EventRecord lost(String workflowId, long from, long to, String reason) {
        return new EventRecord(
                new WorkflowId(workflowId), to, Instant.now(), new WorkflowEvent.HistoryLost(from, to, true, reason));
    }

    /**
     * Visits each workflow's snapshot and events; a workflow whose events cannot all be read (a row that does not
     * decode, a missing one) gets its events up to there and one {@code history_lost} record for the rest, so it
     * carries on from its state before the loss and the other workflows are not affected.
     */
    private void replay(
            Connection connection,
            String snapshotSql,
            String eventSql,
            @Nullable WorkflowId only,
            ReplayVisitor visitor)
            throws SQLException {
        try (PreparedStatement snapshotQuery = cursor(connection, snapshotSql, only);
                PreparedStatement eventQuery = cursor(connection, eventSql, only);
                ResultSet snapshots = snapshotQuery.executeQuery();
                ResultSet events = eventQuery.executeQuery()) {
            boolean moreSnapshots = snapshots.next();
            boolean moreEvents = events.next();
            while (moreSnapshots || moreEvents) {
                String workflow =
                        first(moreSnapshots ? snapshots.getString(1) : null, moreEvents ? events.getString(1) : null);
                long expected = 1;
                if (moreSnapshots && snapshots.getString(1).equals(workflow)) {
                    WorkflowSnapshot snapshot = new WorkflowSnapshot(
                            new WorkflowId(workflow),
                            snapshots.getLong(2),
                            snapshots.getObject(3, OffsetDateTime.class).toInstant(),
                            snapshots.getBytes(4));
                    visitor.snapshot(snapshot);
                    expected = snapshot.sequence() + 1;
                    moreSnapshots = snapshots.next();
                }
                while (moreEvents && events.getString(1).equals(workflow)) {
                    long sequence = events.getLong(2);
                    String unreadable = sequence != expected
                            ? "events " + expected + " to " + (sequence - 1) + " are missing"
                            : null;
                    EventRecord record = null;
                    if (unreadable == null) {
                        try {
                            record = decode(workflow, sequence, events.getBytes(3));
                        } catch (StoreException e) {
                            unreadable = e.getMessage();
                        }
                    }
                    if (record == null) {
                        long last = sequence;
                        while ((moreEvents = events.next())
                                && events.getString(1).equals(workflow)) {
                            last = events.getLong(2);
                        }
                        visitor.event(lost(
                                workflow,
                                expected,
                                last,
                                unreadable + "; the workflow carries on from its state at " + (expected - 1)
                                        + " (run verify() for a full report)"));
                        break;
                    }
                    visitor.event(record);
                    expected++;
                    moreEvents = events.next();
                }
            }
        }
    }

    /** Workflow ids are ASCII and the columns use the "C" collation, so Java's order is the database's. */
    private static String first(@Nullable String snapshotWorkflow, @Nullable String eventWorkflow) {
        if (snapshotWorkflow == null) {
            return Objects.requireNonNull(eventWorkflow, "a snapshot or an event to read");
        }
        if (eventWorkflow == null) {
            return snapshotWorkflow;
        }
        return snapshotWorkflow.compareTo(eventWorkflow) <= 0 ? snapshotWorkflow : eventWorkflow;
    }

    private static final class CountingVisitor implements ReplayVisitor {
        private final ReplayVisitor delegate;
        long visits;

        CountingVisitor(ReplayVisitor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void snapshot(WorkflowSnapshot snapshot) {
            visits++;
            delegate.snapshot(snapshot);
        }

        @Override
        public void event(EventRecord record) {
            visits++;
            delegate.event(record);
        }
    }

    private PreparedStatement cursor(Connection connection, String sql, @Nullable WorkflowId only) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setFetchSize(fetchSize);
        if (only != null) {
            statement.setString(1, only.value());
        }
        return statement;
    }
}
