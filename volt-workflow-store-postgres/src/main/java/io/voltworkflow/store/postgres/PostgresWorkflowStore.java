package io.voltworkflow.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.ControlRequests;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.StoreReport;
import io.voltworkflow.core.store.WorkflowCatalog;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.store.postgres.internal.AvailabilityProbe;
import io.voltworkflow.store.postgres.internal.Database;
import io.voltworkflow.store.postgres.internal.GroupCommitWriter;
import io.voltworkflow.store.postgres.internal.HeldLeases;
import io.voltworkflow.store.postgres.internal.LogMaintenance;
import io.voltworkflow.store.postgres.internal.LogReader;
import io.voltworkflow.store.postgres.internal.PendingWrite;
import io.voltworkflow.store.postgres.internal.PostgresCatalog;
import io.voltworkflow.store.postgres.internal.PostgresControlRequests;
import io.voltworkflow.store.postgres.internal.PostgresLeaseManager;
import io.voltworkflow.store.postgres.internal.SchemaMigrator;
import io.voltworkflow.store.postgres.internal.SqlFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link WorkflowStore} in PostgreSQL, shared by several orchestrator instances: each workflow is run by the
 * instance holding its lease ({@link #leases()}), and when an instance dies another takes its workflows over.
 *
 * <p>Opening migrates the schema to this build's version. Appends are group-committed: those that arrive while a
 * transaction is in flight share the next one. An append that does not continue its workflow's log exactly
 * (another writer got there first, or it would leave a gap) fails with a {@link StoreException} naming the
 * workflow and sequence, and stores none of its records; appends committed with it are unaffected.
 * See docs/storage.md.
 */
public final class PostgresWorkflowStore implements WorkflowStore {
    private final HikariDataSource pool;
    private final GroupCommitWriter writer;
    private final LogReader reader;
    private final LogMaintenance maintenance;
    private final PostgresLeaseManager leases;
    private final PostgresCatalog catalog;
    private final PostgresControlRequests controlRequests;
    private final HeldLeases held;
    private final AvailabilityProbe availability;
    private final io.voltworkflow.store.postgres.internal.PostgresOutbox outbox;

    private PostgresWorkflowStore(HikariDataSource pool, PostgresStoreOptions options) {
        Database database = new Database(pool, options.safeJdbcUrl(), options.maxPoolSize());
        HeldLeases held = new HeldLeases();
        this.pool = pool;
        this.held = held;
        this.writer = new GroupCommitWriter(database, options.maxBatchRecords(), held);
        this.reader = new LogReader(database, options.fetchSize());
        this.maintenance = new LogMaintenance(database, options.fetchSize());
        this.leases = new PostgresLeaseManager(database, held);
        this.catalog = new PostgresCatalog(database);
        this.controlRequests = new PostgresControlRequests(database);
        this.outbox = new io.voltworkflow.store.postgres.internal.PostgresOutbox(database);
        this.availability =
                new AvailabilityProbe(options.jdbcUrl(), options.user(), options.password(), options.safeJdbcUrl());
    }

    /**
     * Connects, creates the schema or migrates it to this build's version, and starts the writer. Fails with a
     * {@link StoreException} naming the server (never the password) when it cannot.
     */
    public static PostgresWorkflowStore open(PostgresStoreOptions options) {
        Objects.requireNonNull(options, "options");
        HikariDataSource pool = connect(options);
        try (Connection connection = pool.getConnection()) {
            SchemaMigrator.migrate(connection, options.schema());
        } catch (SQLException e) {
            pool.close();
            throw SqlFailures.translate("migrate schema '" + options.schema() + "'", options.safeJdbcUrl(), e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresWorkflowStore(pool, options);
    }

    private static HikariDataSource connect(PostgresStoreOptions options) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("volt-postgres-" + options.schema());
        config.setJdbcUrl(options.jdbcUrl());
        config.setUsername(options.user());
        config.setPassword(options.password());
        config.setSchema(options.schema());
        config.setMaximumPoolSize(options.maxPoolSize());
        config.setMinimumIdle(Math.min(2, options.maxPoolSize()));
        config.setConnectionTimeout(options.connectTimeout().toMillis());
        config.addDataSourceProperty("ApplicationName", "volt-workflow/" + options.schema());
        config.addDataSourceProperty(
                "connectTimeout", Math.max(1, options.connectTimeout().toSeconds()));
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StoreException(
                    "cannot open the PostgreSQL store: cannot connect to " + options.safeJdbcUrl() + " as user '"
                            + options.user() + "': " + cause.getMessage(),
                    cause);
        }
    }

    @Override
    public CompletableFuture<Void> append(List<EventRecord> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return writer.submit(PendingWrite.Append.of(records, held));
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The outbox's tables live in this store's schema, beside the events. */
    @Override
    public Optional<io.voltworkflow.core.outbox.DeliveryOutbox> outbox() {
        return Optional.of(outbox);
    }

    @Override
    public CompletableFuture<Void> saveSnapshot(WorkflowSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        return writer.submit(PendingWrite.Snapshot.of(snapshot, held));
    }

    @Override
    public void replay(ReplayVisitor visitor) {
        reader.replay(Objects.requireNonNull(visitor, "visitor"));
    }

    @Override
    public void replay(WorkflowId workflowId, ReplayVisitor visitor) {
        reader.replay(Objects.requireNonNull(workflowId, "workflowId"), Objects.requireNonNull(visitor, "visitor"));
    }

    @Override
    public List<EventRecord> read(WorkflowId workflowId, long afterSequence, int limit) {
        return reader.read(Objects.requireNonNull(workflowId, "workflowId"), afterSequence, limit);
    }

    @Override
    public long firstRetainedSequence(WorkflowId workflowId) {
        return reader.firstRetainedSequence(Objects.requireNonNull(workflowId, "workflowId"));
    }

    @Override
    public CompactionResult compact(Instant eventsBefore) {
        return maintenance.compact(Objects.requireNonNull(eventsBefore, "eventsBefore"));
    }

    @Override
    public StoreReport verify() {
        return maintenance.verify();
    }

    /**
     * Whether PostgreSQL answered the last check, at most a second old (the check runs on its own connection with a
     * 5 s timeout, in the background); empty when it did.
     */
    @Override
    public Optional<String> unavailability() {
        return availability.unavailability();
    }

    @Override
    public Optional<LeaseManager> leases() {
        return Optional.of(leases);
    }

    @Override
    public Optional<WorkflowCatalog> catalog() {
        return Optional.of(catalog);
    }

    @Override
    public Optional<ControlRequests> controlRequests() {
        return Optional.of(controlRequests);
    }

    /**
     * Group-commit transactions, the rows they wrote and the round trips they took since open: rows per commit shows
     * how well writes batch, round trips per commit what each costs.
     */
    public WriteStatistics writeStatistics() {
        return new WriteStatistics(writer.commits(), writer.rowsWritten(), writer.roundTrips());
    }

    public record WriteStatistics(long commits, long rows, long roundTrips) {}

    /** Commits the writes already accepted, waits for their futures, then closes the connections. */
    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            pool.close();
        }
    }
}
