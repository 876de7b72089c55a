package io.voltworkflow.bench.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The PostgreSQL limit: one connection, one writer thread, group commit. Whatever is queued while the previous
 * transaction committed goes into the next one as one batched {@code INSERT} (rewritten by the driver into
 * multi-row statements) into a table keyed like the store's event table; the futures complete once it committed.
 * No workflow table, no sequence check, no lease: what is left is the cost of a durable row in PostgreSQL.
 */
final class RawJdbcLog implements AutoCloseable {
    /** One event row: the workflow, its sequence number and the encoded record. */
    record Row(String workflowId, long sequence, byte[] payload) {}

    private record Pending(Row row, CompletableFuture<Void> durable) {}

    private static final Pending CLOSE = new Pending(new Row("", 0, new byte[0]), new CompletableFuture<>());

    private final Connection connection;
    private final String table;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private long commits;

    /** Creates {@code schema.raw_events} and starts the writer. */
    RawJdbcLog(String url, String user, String password, String schema) throws SQLException {
        this.connection = DriverManager.getConnection(
                url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true", user, password);
        this.table = schema + ".raw_events";
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            statement.execute(
                    "CREATE TABLE " + table + " (workflow_id text COLLATE \"C\" NOT NULL, sequence bigint NOT NULL,"
                            + " payload bytea NOT NULL, PRIMARY KEY (workflow_id, sequence))");
        }
        connection.setAutoCommit(false);
        this.writer = new Thread(this::writeLoop, "raw-jdbc-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a row; the future completes once its transaction committed. */
    CompletableFuture<Void> append(Row row) {
        Pending pending = new Pending(row, new CompletableFuture<>());
        queue.add(pending);
        return pending.durable();
    }

    /** Transactions committed (read after the appends completed). */
    synchronized long commits() {
        return commits;
    }

    /** Round trips those took: the batched insert (one flush however many rows) and the commit. */
    synchronized long roundTrips() {
        return 2 * commits;
    }

    @SuppressWarnings("ReferenceEquality") // CLOSE is a sentinel instance
    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        boolean stop = false;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (workflow_id, sequence, payload) VALUES (?, ?, ?)")) {
            while (!stop) {
                batch.add(queue.take());
                queue.drainTo(batch);
                stop = batch.removeIf(pending -> pending == CLOSE);
                try {
                    for (Pending pending : batch) {
                        insert.setString(1, pending.row().workflowId());
                        insert.setLong(2, pending.row().sequence());
                        insert.setBytes(3, pending.row().payload());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    connection.commit();
                    synchronized (this) {
                        commits++;
                    }
                    batch.forEach(pending -> pending.durable().complete(null));
                } catch (SQLException | RuntimeException e) {
                    insert.clearBatch();
                    connection.rollback();
                    batch.forEach(pending -> pending.durable().completeExceptionally(e));
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            queue.forEach(pending -> pending.durable().completeExceptionally(e));
        }
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        queue.add(CLOSE);
        writer.join();
        connection.close();
    }
}
