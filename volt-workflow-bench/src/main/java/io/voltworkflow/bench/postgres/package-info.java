/**
 * The PostgreSQL limit scenario, not API: {@link io.voltworkflow.bench.postgres.PostgresScenario}, the store against
 * raw batched JDBC inserts.
 */
package io.voltworkflow.bench.postgres;
