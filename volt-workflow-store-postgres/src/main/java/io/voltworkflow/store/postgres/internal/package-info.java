/**
 * Internal: the PostgreSQL store's machinery, not API — schema migrations, group commit, the log reader, leases,
 * control requests, the outbox, compaction and failure translation.
 */
package io.voltworkflow.store.postgres.internal;
