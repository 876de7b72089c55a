package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Turns driver errors into {@link StoreException}s that say what failed and where, never with credentials. */
public final class SqlFailures {
    private SqlFailures() {}

    /** The database cannot be reached or refuses connections: retrying item by item would not help. */
    static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")));
    }

    /**
     * A connection that was open and broke (the server restarted or ended the session); unlike an unreachable
     * server, a fresh connection is likely to work.
     */
    static boolean brokenConnection(SQLException e) {
        String state = e.getSQLState();
        return !(e instanceof SQLTransientConnectionException)
                && state != null
                && (state.equals("08006") || state.equals("08003") || state.equals("57P01"));
    }

    /** A serialization failure or deadlock: the transaction may simply be run again. */
    static boolean retryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** Keeps {@code failure} as the one reported: a connection that broke usually cannot roll back either. */
    static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** {@code action}: what was being done, as in "cannot {action}". */
    public static StoreException translate(String action, String safeUrl, SQLException e) {
        String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
        if (unavailable(e)) {
            return new StoreException(
                    "cannot " + action + ": PostgreSQL at " + safeUrl + " is unavailable: " + e.getMessage() + state,
                    e);
        }
        return new StoreException("cannot " + action + ": " + e.getMessage() + state, e);
    }
}
