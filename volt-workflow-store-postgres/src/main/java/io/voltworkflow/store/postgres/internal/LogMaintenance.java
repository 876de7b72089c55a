package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.StoreReport;
import io.voltworkflow.core.store.WorkflowStore.CompactionResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Compaction and verification: whole-log operations an operator or a scheduled job runs. */
public final class LogMaintenance {
    private static final int MAX_PROBLEMS = 100;
    // PostgreSQL timestamps end in year 294276 and JDBC ones in 9999: a later cut-off simply means "all".
    private static final Instant LATEST_CUT_OFF = Instant.parse("9999-12-31T23:59:59Z");

    // Sequences that do not follow their predecessor within a workflow.
    private static final String GAPS = """
      SELECT workflow_id, previous, sequence FROM (
        SELECT workflow_id, sequence, lag(sequence) OVER (PARTITION BY workflow_id ORDER BY sequence) AS previous
        FROM events) log
      WHERE sequence <> previous + 1 ORDER BY workflow_id, sequence""";
    // Logs whose oldest retained event is neither the first one nor right after a snapshot.
    private static final String LOST_HEADS = """
      SELECT e.workflow_id, min(e.sequence), s.sequence FROM events e LEFT JOIN snapshots s USING (workflow_id)
      GROUP BY e.workflow_id, s.sequence HAVING min(e.sequence) > coalesce(s.sequence, 0) + 1
      ORDER BY e.workflow_id""";
    // The summary row must agree with the log it summarizes.
    private static final String SUMMARY_MISMATCHES = """
      SELECT coalesce(w.workflow_id, e.workflow_id), w.last_sequence, e.last_sequence
      FROM workflows w FULL JOIN (SELECT workflow_id, max(sequence) AS last_sequence FROM events GROUP BY 1) e
        ON e.workflow_id = w.workflow_id
      WHERE e.workflow_id IS NOT NULL AND (w.workflow_id IS NULL OR w.last_sequence <> e.last_sequence)
      ORDER BY 1""";

    private final Database database;
    private final int fetchSize;

    public LogMaintenance(Database database, int fetchSize) {
        this.database = database;
        this.fetchSize = fetchSize;
    }

    /** Deletes events a snapshot covers that are older than {@code eventsBefore}; PostgreSQL then reuses the space. */
    public CompactionResult compact(Instant eventsBefore) {
        return database.autoCommit("compact the store", connection -> {
            long bytesBefore = eventsTableBytes(connection);
            long removed;
            try (PreparedStatement delete = connection.prepareStatement("""
          DELETE FROM events e USING snapshots s
          WHERE e.workflow_id = s.workflow_id AND e.sequence <= s.sequence AND e.ts < ?""")) {
                Instant cutOff = eventsBefore.isAfter(LATEST_CUT_OFF) ? LATEST_CUT_OFF : eventsBefore;
                delete.setObject(1, OffsetDateTime.ofInstant(cutOff, ZoneOffset.UTC));
                removed = delete.executeUpdate();
            }
            if (removed > 0) {
                try (Statement vacuum = connection.createStatement()) {
                    vacuum.execute("VACUUM events");
                }
            }
            return new CompactionResult(removed, bytesBefore, eventsTableBytes(connection));
        });
    }

    /** Checks sequences, summaries and every payload in one consistent view, changing nothing. */
    public StoreReport verify() {
        return database.consistentRead("verify the store", connection -> {
            Problems problems = new Problems();
            query(
                    connection,
                    GAPS,
                    rows -> problems.add("workflow " + rows.getString(1) + ": events " + (rows.getLong(2) + 1) + " to "
                            + (rows.getLong(3) - 1) + " are missing"));
            query(
                    connection,
                    LOST_HEADS,
                    rows -> problems.add("workflow " + rows.getString(1) + ": events before "
                            + rows.getLong(2) + " are missing and no snapshot covers them"
                            + (rows.getObject(3) == null ? "" : " (its snapshot ends at " + rows.getLong(3) + ")")));
            query(
                    connection,
                    SUMMARY_MISMATCHES,
                    rows -> problems.add("workflow " + rows.getString(1)
                            + (rows.getObject(2) == null
                                    ? ": has events but no workflows row"
                                    : ": its workflows row says the log ends at " + rows.getLong(2) + " but it ends at "
                                            + rows.getLong(3))));
            long records = checkPayloads(connection, problems);
            return new StoreReport(
                    records,
                    count(connection, "SELECT count(*) FROM snapshots"),
                    count(connection, """
              SELECT count(*) FROM (SELECT workflow_id FROM workflows WHERE last_sequence > 0
                                    UNION SELECT workflow_id FROM snapshots) known"""),
                    0,
                    problems.list());
        });
    }

    private long checkPayloads(Connection connection, Problems problems) throws SQLException {
        long records = 0;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT workflow_id, sequence, type, payload FROM events ORDER BY workflow_id, sequence")) {
            query.setFetchSize(fetchSize);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    records++;
                    String workflow = rows.getString(1);
                    long sequence = rows.getLong(2);
                    try {
                        String type = LogReader.decode(workflow, sequence, rows.getBytes(4))
                                .type()
                                .wireName();
                        if (!type.equals(rows.getString(3))) {
                            problems.add("workflow " + workflow + ", event " + sequence + ": the row says "
                                    + rows.getString(3) + " but the payload is " + type);
                        }
                    } catch (StoreException e) {
                        problems.add(Objects.toString(e.getMessage(), "the payload does not decode"));
                    }
                }
            }
        }
        return records;
    }

    private static long eventsTableBytes(Connection connection) throws SQLException {
        return count(connection, "SELECT pg_total_relation_size('events')");
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet row) throws SQLException;
    }

    private static void query(Connection connection, String sql, RowHandler handler) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                handler.accept(rows);
            }
        }
    }

    /** The first {@value #MAX_PROBLEMS} problems and how many more there were. */
    private static final class Problems {
        private final List<String> found = new ArrayList<>();
        private long more;

        void add(String problem) {
            if (found.size() < MAX_PROBLEMS) {
                found.add(problem);
            } else {
                more++;
            }
        }

        List<String> list() {
            if (more == 0) {
                return found;
            }
            List<String> all = new ArrayList<>(found);
            all.add("... and " + more + " more problems");
            return all;
        }
    }
}
