package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs units of work on pooled connections and reports failures as {@link StoreException}s naming the action. */
public final class Database {
    private final DataSource dataSource;
    private final String safeUrl;
    private final int maxAttempts;

    /** {@code poolSize}: a restarted server can leave that many dead connections in the pool. */
    public Database(DataSource dataSource, String safeUrl, int poolSize) {
        this.dataSource = dataSource;
        this.safeUrl = safeUrl;
        this.maxAttempts = poolSize + 1;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Work that answers nothing. */
    @FunctionalInterface
    public interface Statements {
        void run(Connection connection) throws SQLException;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The URL without credentials, for messages. */
    public String safeUrl() {
        return safeUrl;
    }

    /** How many attempts a unit of work that is safe to repeat gets when pooled connections turn out dead. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Each statement commits on its own. {@code action} completes "cannot ..." in errors. The work runs again on
     * another connection when its connection had broken, so it must be safe to repeat.
     */
    public <T> T autoCommit(String action, Work<T> work) {
        return withRetries(action, work);
    }

    /** As {@link #autoCommit(String, Work)}, for work that answers nothing. */
    public void autoCommitStatements(String action, Statements work) {
        autoCommit(action, connection -> {
            work.run(connection);
            return Boolean.TRUE;
        });
    }

    /**
     * Each statement commits on its own, and the work runs once: for work whose repetition would not be harmless
     * (a row inserted twice). A connection that broke fails it.
     */
    public <T> T once(String action, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlFailures.translate(action, safeUrl, e);
        }
    }

    /**
     * One read-only transaction that sees a single consistent state of the database, so statements run one after
     * the other agree with each other; needed, too, for cursors that fetch in windows. Runs again on another
     * connection when its connection had broken: work with side effects must throw something other than an
     * {@link SQLException} once it has had them.
     */
    public <T> T consistentRead(String action, Work<T> work) {
        return withRetries(action, connection -> {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                SqlFailures.rollback(connection, e);
                throw e;
            }
        });
    }

    /** As {@link #consistentRead(String, Work)}, for work that answers nothing. */
    public void consistentReadStatements(String action, Statements work) {
        consistentRead(action, connection -> {
            work.run(connection);
            return Boolean.TRUE;
        });
    }

    private <T> T withRetries(String action, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            } catch (SQLException e) {
                if (attempt >= maxAttempts || !SqlFailures.brokenConnection(e)) {
                    throw SqlFailures.translate(action, safeUrl, e);
                }
            }
        }
    }
}
