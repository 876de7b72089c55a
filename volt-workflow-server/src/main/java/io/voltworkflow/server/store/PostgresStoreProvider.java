package io.voltworkflow.server.store;

import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.store.postgres.PostgresStoreOptions;
import io.voltworkflow.store.postgres.PostgresWorkflowStore;

/**
 * {@code --store postgres --store-url jdbc:postgresql://host:5432/db}: the shared store for several server
 * instances (leases decide which instance runs a workflow). Credentials come from the environment only, never from
 * the command line: {@code VOLT_WORKFLOW_PG_USER}, {@code VOLT_WORKFLOW_PG_PASSWORD}, {@code VOLT_WORKFLOW_PG_SCHEMA},
 * {@code VOLT_WORKFLOW_PG_POOL_SIZE} (see {@link PostgresStoreOptions#fromEnvironment}).
 */
final class PostgresStoreProvider implements WorkflowStoreProvider {
    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String description() {
        return "PostgreSQL shared by several instances (--store-url jdbc:postgresql://…; credentials from VOLT_WORKFLOW_PG_*)";
    }

    @Override
    public WorkflowStore open(StoreSettings settings) {
        String url = settings.url()
                .orElseThrow(() -> new IllegalArgumentException(
                        "the postgres store needs --store-url jdbc:postgresql://host:port/database"));
        return PostgresWorkflowStore.open(PostgresStoreOptions.fromEnvironment(url, settings.environment())
                .build());
    }
}
