package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: one writer thread takes every write queued while the previous transaction was in flight and
 * commits them together, so many concurrent appends cost one round of statements and one WAL flush. Futures
 * complete after the commit, on a separate pool, so a caller that blocks inside a callback cannot stall the writer.
 * The queue is bounded ({@value #QUEUED_BATCHES} batches): when the database falls behind, submitting waits, so
 * memory stays bounded and nothing is dropped.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final int QUEUED_BATCHES = 16;

    private final Database database;
    private final HeldLeases leases;
    private final int maxBatchRows;
    private final int maxAttempts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final Condition spaceFreed = lock.newCondition();
    private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
    private final ExecutorService completions;
    private final Thread thread;
    private final LongAdder commits = new LongAdder();
    private final LongAdder rowsWritten = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();
    private int queuedRows;
    private boolean closing;

    public GroupCommitWriter(Database database, int maxBatchRows, HeldLeases leases) {
        this.database = database;
        this.leases = leases;
        this.maxBatchRows = maxBatchRows;
        this.maxAttempts = Math.max(3, database.maxAttempts());
        AtomicInteger count = new AtomicInteger();
        this.completions = Executors.newCachedThreadPool(
                runnable -> daemon(runnable, "volt-pg-completion-" + count.incrementAndGet()));
        this.thread = daemon(this::run, "volt-pg-writer");
        thread.start();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Queues a write, waiting while the queue is full (a write larger than the queue waits for it to empty). */
    public CompletableFuture<Void> submit(PendingWrite write) {
        lock.lock();
        try {
            while (!closing && !queue.isEmpty() && queuedRows + write.rows() > (long) QUEUED_BATCHES * maxBatchRows) {
                spaceFreed.awaitUninterruptibly();
            }
            if (closing) {
                return CompletableFuture.failedFuture(new StoreException("the PostgreSQL store is closed"));
            }
            queue.add(write);
            queuedRows += write.rows();
            workArrived.signal();
        } finally {
            lock.unlock();
        }
        return write.done();
    }

    /** Transactions committed and rows they wrote, since open. */
    public long commits() {
        return commits.sum();
    }

    public long rowsWritten() {
        return rowsWritten.sum();
    }

    /** Statements sent by the writer, commits and rollbacks included: one round trip each. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** Refuses new writes, commits the queued ones and waits for their futures to complete. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            workArrived.signal();
            spaceFreed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
            completions.shutdown();
            completions.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        for (List<PendingWrite> batch = nextBatch(); !batch.isEmpty(); batch = nextBatch()) {
            long started = System.nanoTime();
            Map<PendingWrite, StoreException> failures = commitIsolatingFailures(batch);
            long took = System.nanoTime() - started;
            List<PendingWrite> written = batch;
            CompletableFuture<Void> completed =
                    CompletableFuture.runAsync(() -> complete(written, failures), completions);
            gatherWhileCompleting(completed, took);
        }
    }

    /**
     * Callers whose writes just committed usually write again at once: waiting until they were told (at most as long
     * as the commit took, so a caller blocking in its callback delays the writer by one commit at most) lets their
     * next writes share one transaction instead of the first of them starting a small one alone. Not when a full batch
     * is already queued.
     */
    private void gatherWhileCompleting(CompletableFuture<Void> completed, long commitNanos) {
        lock.lock();
        try {
            if (closing || queuedRows >= maxBatchRows) {
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            completed.get(commitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Still completing, or a caller's callback failed (its own business): write what is queued.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void complete(List<PendingWrite> batch, Map<PendingWrite, StoreException> failures) {
        for (PendingWrite write : batch) {
            StoreException failure = failures.get(write);
            if (failure == null) {
                write.done().complete(null);
            } else {
                write.done().completeExceptionally(failure);
            }
        }
    }

    /** Waits for work; empty once closed and drained. */
    private List<PendingWrite> nextBatch() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closing) {
                workArrived.awaitUninterruptibly();
            }
            List<PendingWrite> batch = new ArrayList<>();
            int rows = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peek().rows() <= maxBatchRows)) {
                PendingWrite write = queue.poll();
                batch.add(write);
                rows += write.rows();
            }
            queuedRows -= rows;
            spaceFreed.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Commits a batch; if it fails, commits each write alone so that one bad write cannot sink the others. */
    @SuppressWarnings("IdentityHashMapUsage") // writes are records: two equal writes are still two callers to answer
    private Map<PendingWrite, StoreException> commitIsolatingFailures(List<PendingWrite> batch) {
        try {
            return commitWithRetries(batch);
        } catch (UncertainCommit e) {
            return failAll(
                    batch,
                    new StoreException(
                            "cannot confirm the write: the connection to PostgreSQL at "
                                    + database.safeUrl()
                                    + " failed during commit, so these records may or may not be stored (read the"
                                    + " workflow's log to know): "
                                    + e.getMessage(),
                            Objects.requireNonNullElse(e.getCause(), e)));
        } catch (SQLException e) {
            if (batch.size() == 1 || SqlFailures.unavailable(e)) {
                return failAll(batch, SqlFailures.translate("write to the store", database.safeUrl(), e));
            }
            Map<PendingWrite, StoreException> failures = new IdentityHashMap<>();
            batch.forEach(write -> failures.putAll(commitIsolatingFailures(List.of(write))));
            return failures;
        } catch (RuntimeException e) {
            return failAll(batch, new StoreException("cannot write to the store: " + e, e));
        }
    }

    @SuppressWarnings("IdentityHashMapUsage") // writes are records: two equal writes are still two callers to answer
    private static Map<PendingWrite, StoreException> failAll(List<PendingWrite> batch, StoreException failure) {
        Map<PendingWrite, StoreException> failures = new IdentityHashMap<>();
        batch.forEach(write -> failures.put(write, failure));
        return failures;
    }

    /**
     * Runs a batch again after a deadlock or serialization failure, and after a connection that broke before the
     * commit was sent (PostgreSQL restarted: each attempt discards one dead pooled connection), which is safe
     * because nothing was committed.
     */
    private Map<PendingWrite, StoreException> commitWithRetries(List<PendingWrite> batch) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return commit(batch);
            } catch (UncertainCommit e) {
                throw e;
            } catch (SQLException e) {
                boolean again = SqlFailures.retryable(e) || SqlFailures.brokenConnection(e);
                if (attempt >= maxAttempts || !again) {
                    throw e;
                }
            }
        }
    }

    private Map<PendingWrite, StoreException> commit(List<PendingWrite> batch) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            WriteTransaction.Outcome outcome;
            try {
                Optional<WriteTransaction.Outcome> folded =
                        WriteTransaction.writeIfCurrent(connection, batch, roundTrips);
                if (folded.isPresent()) {
                    outcome = folded.get();
                } else {
                    // Anything the folded append wrote is undone before the batch is written with the row locks.
                    connection.rollback();
                    roundTrips.increment();
                    outcome = WriteTransaction.write(connection, batch, roundTrips);
                }
            } catch (SQLException | RuntimeException e) {
                SqlFailures.rollback(connection, e);
                throw e;
            }
            try {
                roundTrips.increment();
                connection.commit();
            } catch (SQLException e) {
                throw SqlFailures.unavailable(e) ? new UncertainCommit(e) : e;
            }
            commits.increment();
            Map<PendingWrite, StoreException> refused = outcome.refused();
            rowsWritten.add(batch.stream()
                    .filter(write -> !refused.containsKey(write))
                    .mapToLong(PendingWrite::rows)
                    .sum());
            outcome.leasesCleared().forEach(leases::cleared);
            return refused;
        }
    }

    /** The connection failed after COMMIT was sent: whether the transaction committed is unknown. */
    private static final class UncertainCommit extends SQLException {
        private static final long serialVersionUID = 1L;

        UncertainCommit(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }
}
