package io.voltworkflow.server.store;

import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.store.postgres.PostgresStoreOptions;
import io.voltworkflow.store.postgres.PostgresWorkflowStore;

/**
 * {@code --store postgres --store-url jdbc:postgresql://host:5432/db}: the shared store for several server
 * instances (leases decide which instance runs a workflow). Credentials come from the environment only, never from
 * the command line: {@code VOLT_WORKFLOW_PG_USER}, {@code VOLT_WORKFLOW_PG_PASSWORD}; the schema from
 * {@code VOLT_WORKFLOW_PG_SCHEMA} (default {@code volt}).
 */
final class PostgresStoreProvider implements WorkflowStoreProvider {
  static final String USER = "VOLT_WORKFLOW_PG_USER";
  static final String PASSWORD = "VOLT_WORKFLOW_PG_PASSWORD";
  static final String SCHEMA = "VOLT_WORKFLOW_PG_SCHEMA";

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String description() {
    return "PostgreSQL shared by several instances (--store-url jdbc:postgresql://…; $" + USER + ", $" + PASSWORD + ")";
  }

  @Override
  public WorkflowStore open(StoreSettings settings) {
    String url = settings.url().orElseThrow(() -> new IllegalArgumentException(
        "the postgres store needs --store-url jdbc:postgresql://host:port/database"));
    PostgresStoreOptions.Builder options = PostgresStoreOptions.builder(url);
    String user = settings.environment().get(USER);
    if (user != null && !user.isBlank()) {
      options.user(user);
    }
    String password = settings.environment().get(PASSWORD);
    if (password != null) {
      options.password(password);
    }
    String schema = settings.environment().get(SCHEMA);
    if (schema != null && !schema.isBlank()) {
      options.schema(schema);
    }
    return PostgresWorkflowStore.open(options.build());
  }
}
