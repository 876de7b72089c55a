package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a store's schema to the version this build expects. Each migration runs at most once, in order, inside one
 * transaction serialized by an advisory lock, so instances opening the same schema at the same time agree.
 */
public final class SchemaMigrator {
    /** Every migration this build knows, in order. A migration that has shipped is never edited: add the next one. */
    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "event log, snapshots, workflows with leases", "V1__event_log.sql"),
            new Migration(2, "lease epochs fence appends; finished workflows hold no lease", "V2__lease_epoch.sql"),
            new Migration(3, "notification outbox: deliveries, cursors, subscriptions", "V3__outbox.sql"),
            new Migration(
                    4,
                    "workflow labels for lists read from the store; control requests relayed to lease holders",
                    "V4__shared_reads_and_control.sql"));

    private SchemaMigrator() {}

    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Creates the schema if needed and applies the missing migrations; returns the versions applied now (empty when
     * the schema was current). Fails, changing nothing, when the schema is newer than this build.
     */
    public static List<Integer> migrate(Connection connection, String schema) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            List<Integer> applied = migrateInTransaction(connection, schema);
            connection.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            SqlFailures.rollback(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static List<Integer> migrateInTransaction(Connection connection, String schema) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "volt-workflow-store-postgres:" + schema);
            lock.execute();
        }
        try (Statement statement = connection.createStatement()) {
            if (!schemaExists(connection, schema)) {
                statement.execute("CREATE SCHEMA \"" + schema + "\"");
            }
            statement.execute("SET LOCAL search_path TO \"" + schema + "\"");
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            + "version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            int current = currentVersion(statement);
            if (current > latestVersion()) {
                throw new StoreException("schema '" + schema + "' is at version " + current
                        + ", newer than this build understands (" + latestVersion() + "): upgrade volt-workflow");
            }
            List<Integer> applied = new ArrayList<>();
            for (Migration migration : MIGRATIONS) {
                if (migration.version() > current) {
                    statement.execute(migration.sql());
                    record(connection, migration);
                    applied.add(migration.version());
                }
            }
            return applied;
        }
    }

    private static boolean schemaExists(Connection connection, String schema) throws SQLException {
        // Checked first: CREATE SCHEMA IF NOT EXISTS demands the CREATE privilege even when the schema exists.
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static int currentVersion(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void record(Connection connection, Migration migration) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO schema_migrations (version, description) VALUES (?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.executeUpdate();
        }
    }

    private record Migration(int version, String description, String resource) {
        String sql() {
            try (InputStream in = SchemaMigrator.class.getResourceAsStream(
                    "/io/voltworkflow/store/postgres/migrations/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration " + resource + " is missing from the jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read migration " + resource, e);
            }
        }
    }
}
