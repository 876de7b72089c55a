/**
 * Public API of the PostgreSQL store: {@link io.voltworkflow.store.postgres.PostgresWorkflowStore}, a
 * {@link io.voltworkflow.core.store.WorkflowStore} several instances share through leases, configured by
 * {@link io.voltworkflow.store.postgres.PostgresStoreOptions}. The machinery lives in
 * {@code io.voltworkflow.store.postgres.internal} and is not API.
 */
@NullMarked
package io.voltworkflow.store.postgres;

import org.jspecify.annotations.NullMarked;
