package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs units of work on pooled connections and reports failures as {@link StoreException}s naming the action. */
public final class Database {
  private final DataSource dataSource;
  private final String safeUrl;

  public Database(DataSource dataSource, String safeUrl) {
    this.dataSource = dataSource;
    this.safeUrl = safeUrl;
  }

  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The URL without credentials, for messages. */
  public String safeUrl() {
    return safeUrl;
  }

  /** Each statement commits on its own. {@code action} completes "cannot ..." in errors. */
  public <T> T autoCommit(String action, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw SqlFailures.translate(action, safeUrl, e);
    }
  }

  /**
   * One read-only transaction that sees a single consistent state of the database, so statements run one after
   * the other agree with each other; needed, too, for cursors that fetch in windows.
   */
  public <T> T consistentRead(String action, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
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
    } catch (SQLException e) {
      throw SqlFailures.translate(action, safeUrl, e);
    }
  }
}
