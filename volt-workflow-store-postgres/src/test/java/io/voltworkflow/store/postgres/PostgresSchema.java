package io.voltworkflow.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private schema per test on the real PostgreSQL the tests use ({@code VOLT_TEST_PG_URL}, {@code
 * VOLT_TEST_PG_USER}, {@code VOLT_TEST_PG_PASSWORD}; defaults: the one {@code .ci/install-postgres.sh} starts).
 * Stores opened through it are closed and the schema dropped after the test. An unreachable server fails the test
 * with the way to start one: these tests never skip.
 */
final class PostgresSchema implements BeforeEachCallback, AfterEachCallback {
    static final String URL = env("VOLT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/volt");
    static final String USER = env("VOLT_TEST_PG_USER", "volt");
    static final String PASSWORD = env("VOLT_TEST_PG_PASSWORD", "volt");

    private final List<AutoCloseable> opened = new ArrayList<>();
    private String name;

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        try (Connection connection = connect()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError(
                    "PostgreSQL is not reachable at " + URL.split("\\?", 2)[0] + " as user '" + USER
                            + "' (" + e.getMessage()
                            + "). Start it with `bash .ci/install-postgres.sh`, or point VOLT_TEST_PG_URL, VOLT_TEST_PG_USER and"
                            + " VOLT_TEST_PG_PASSWORD at a server.",
                    e);
        }
        name = "volt_test_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (name == null) {
            return;
        }
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    String name() {
        return name;
    }

    PostgresStoreOptions.Builder options() {
        return PostgresStoreOptions.builder(URL)
                .user(USER)
                .password(PASSWORD)
                .schema(name)
                .maxPoolSize(4);
    }

    /** A store on this test's schema, closed after the test; several share the schema like instances do. */
    PostgresWorkflowStore open() {
        return track(PostgresWorkflowStore.open(options().build()));
    }

    <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** Runs SQL in this test's schema, behind the store's back (tampering, expiring leases). */
    int execute(String sql) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + name);
            statement.execute(sql);
            return statement.getUpdateCount();
        } catch (SQLException e) {
            throw new AssertionError("cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    long queryLong(String sql) {
        return Long.parseLong(query(sql).get(0));
    }

    /** The first column of every row, as text. */
    List<String> query(String sql) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + name);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError("cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(5);
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }
}
