package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.outbox.DeliveryOutbox;
import io.voltworkflow.core.outbox.DeliveryState;
import io.voltworkflow.core.outbox.OutboxEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outbox in the store's schema (migration 3). Every write is idempotent — inserts skip existing delivery ids,
 * cursors only rise, registrations keep the first time — so a write repeated after a broken connection, or made by
 * two instances deriving the same notification, changes nothing the second time.
 */
public final class PostgresOutbox implements DeliveryOutbox {
    private static final String COLUMNS =
            "delivery_id, subscription_id, workflow_id, sequence, event, payload, created_at, "
                    + "state, attempts, next_attempt_at, last_attempt_at, last_status, last_error";

    private final Database database;

    public PostgresOutbox(Database database) {
        this.database = database;
    }

    @Override
    public List<OutboxEntry> enqueue(List<OutboxEntry> entries, Map<WorkflowId, Long> cursors) {
        return database.autoCommit(
                "enqueue notifications",
                connection -> inTransaction(connection, () -> {
                    List<OutboxEntry> added = new ArrayList<>();
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO outbox_deliveries (" + COLUMNS
                                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING")) {
                        for (OutboxEntry entry : entries) {
                            bind(insert, entry);
                            if (insert.executeUpdate() == 1) {
                                added.add(entry);
                            }
                        }
                    }
                    try (PreparedStatement raise = connection.prepareStatement(
                            "INSERT INTO outbox_cursors (workflow_id, sequence) "
                                    + "VALUES (?, ?) ON CONFLICT (workflow_id) DO UPDATE SET sequence = GREATEST(outbox_cursors.sequence, EXCLUDED.sequence)")) {
                        for (Map.Entry<WorkflowId, Long> cursor : cursors.entrySet()) {
                            raise.setString(1, cursor.getKey().value());
                            raise.setLong(2, cursor.getValue());
                            raise.addBatch();
                        }
                        raise.executeBatch();
                    }
                    return added;
                }));
    }

    @Override
    public long cursor(WorkflowId workflowId) {
        return database.autoCommit("read the outbox cursor of " + workflowId.value(), connection -> {
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT sequence FROM outbox_cursors WHERE workflow_id = ?")) {
                query.setString(1, workflowId.value());
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void update(OutboxEntry entry) {
        database.autoCommitStatements("record webhook delivery " + entry.deliveryId(), connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE outbox_deliveries SET state = ?, attempts = ?, "
                            + "next_attempt_at = ?, last_attempt_at = ?, last_status = ?, last_error = ? WHERE delivery_id = ?")) {
                update.setString(1, entry.state().wireName());
                update.setInt(2, entry.attempts());
                update.setObject(3, time(entry.nextAttemptAt()));
                update.setObject(4, timeOrNull(entry.lastAttemptAt()));
                update.setInt(5, entry.lastStatus());
                update.setString(6, entry.lastError());
                update.setString(7, entry.deliveryId());
                if (update.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no delivery " + entry.deliveryId() + " in the outbox");
                }
            }
        });
    }

    @Override
    public Optional<OutboxEntry> find(String deliveryId) {
        List<OutboxEntry> found = select("find webhook delivery " + deliveryId, "WHERE delivery_id = ?", 1, deliveryId);
        return found.stream().findFirst();
    }

    @Override
    public List<OutboxEntry> due(Instant now, int limit) {
        return select(
                "list due webhook deliveries",
                "WHERE state = 'pending' AND next_attempt_at <= ? " + "ORDER BY next_attempt_at, delivery_id",
                limit,
                time(now));
    }

    @Override
    public Optional<Instant> nextAttempt() {
        return database.autoCommit("find the next webhook attempt", connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                            "SELECT min(next_attempt_at) FROM outbox_deliveries WHERE state = 'pending'");
                    ResultSet rows = query.executeQuery()) {
                rows.next();
                return Optional.ofNullable(instantOrNull(rows.getObject(1, OffsetDateTime.class)));
            }
        });
    }

    @Override
    public List<OutboxEntry> list(@Nullable String subscriptionId, @Nullable DeliveryState state, int limit) {
        StringBuilder where = new StringBuilder("WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (subscriptionId != null) {
            where.append(" AND subscription_id = ?");
            parameters.add(subscriptionId);
        }
        if (state != null) {
            where.append(" AND state = ?");
            parameters.add(state.wireName());
        }
        where.append(" ORDER BY created_at DESC, delivery_id DESC");
        return select("list webhook deliveries", where.toString(), limit, parameters.toArray());
    }

    @Override
    public Instant register(String subscriptionId, Instant now) {
        return database.autoCommit("register webhook " + subscriptionId, connection -> {
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO outbox_registrations (subscription_id, "
                            + "registered_at) VALUES (?, ?) ON CONFLICT (subscription_id) DO NOTHING")) {
                insert.setString(1, subscriptionId);
                insert.setObject(2, time(now));
                insert.executeUpdate();
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT registered_at FROM outbox_registrations WHERE subscription_id = ?")) {
                query.setString(1, subscriptionId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getObject(1, OffsetDateTime.class).toInstant();
                }
            }
        });
    }

    @Override
    public Map<String, String> subscriptions() {
        return database.autoCommit("list webhook subscriptions", connection -> {
            Map<String, String> documents = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                            "SELECT subscription_id, document FROM outbox_subscriptions ORDER BY subscription_id");
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    documents.put(rows.getString(1), rows.getString(2));
                }
            }
            return documents;
        });
    }

    @Override
    public void saveSubscription(String id, String document) {
        database.autoCommit("save webhook " + id, connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO outbox_subscriptions (subscription_id, "
                            + "document) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET document = EXCLUDED.document")) {
                upsert.setString(1, id);
                upsert.setString(2, document);
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public void deleteSubscription(String id) {
        database.autoCommit(
                "delete webhook " + id,
                connection -> inTransaction(connection, () -> {
                    try (PreparedStatement delete = connection.prepareStatement(
                                    "DELETE FROM outbox_subscriptions WHERE subscription_id = ?");
                            PreparedStatement forget = connection.prepareStatement(
                                    "DELETE FROM outbox_registrations WHERE subscription_id = ?")) {
                        delete.setString(1, id);
                        forget.setString(1, id);
                        boolean deleted = delete.executeUpdate() == 1;
                        if (deleted) {
                            forget.executeUpdate();
                        }
                        return deleted;
                    }
                }));
    }

    private List<OutboxEntry> select(String action, String clause, int limit, Object... parameters) {
        return database.autoCommit(action, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM outbox_deliveries " + clause + " LIMIT ?")) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setObject(i + 1, parameters[i]);
                }
                query.setInt(parameters.length + 1, limit);
                List<OutboxEntry> entries = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(rows));
                    }
                }
                return entries;
            }
        });
    }

    private interface Body<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection connection, Body<T> body) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = body.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            SqlFailures.rollback(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void bind(PreparedStatement insert, OutboxEntry entry) throws SQLException {
        insert.setString(1, entry.deliveryId());
        insert.setString(2, entry.subscriptionId());
        insert.setString(3, entry.workflowId().value());
        insert.setLong(4, entry.sequence());
        insert.setString(5, entry.event());
        insert.setString(6, entry.payload());
        insert.setObject(7, time(entry.createdAt()));
        insert.setString(8, entry.state().wireName());
        insert.setInt(9, entry.attempts());
        insert.setObject(10, time(entry.nextAttemptAt()));
        insert.setObject(11, timeOrNull(entry.lastAttemptAt()));
        insert.setInt(12, entry.lastStatus());
        insert.setString(13, entry.lastError());
    }

    private static OutboxEntry entry(ResultSet rows) throws SQLException {
        return new OutboxEntry(
                rows.getString(1),
                rows.getString(2),
                new WorkflowId(rows.getString(3)),
                rows.getLong(4),
                rows.getString(5),
                rows.getString(6),
                rows.getObject(7, OffsetDateTime.class).toInstant(),
                DeliveryState.fromWireName(rows.getString(8)),
                rows.getInt(9),
                rows.getObject(10, OffsetDateTime.class).toInstant(),
                instantOrNull(rows.getObject(11, OffsetDateTime.class)),
                rows.getInt(12),
                rows.getString(13));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Only {@code last_attempt_at} may be null: a delivery not attempted yet. */
    private static @Nullable OffsetDateTime timeOrNull(@Nullable Instant instant) {
        return instant == null ? null : time(instant);
    }

    private static @Nullable Instant instantOrNull(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
