package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.file.FileStoreStatistics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Group commit: one thread takes everything queued, writes it with one positional write and one
 * {@code force}, publishes it to the index, and only then completes the callers' futures (on a separate thread, so
 * their continuations never delay the next commit). After an I/O error nothing more is acknowledged: the page cache
 * can no longer be trusted to match the disk, so the store must be reopened.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final PendingWrite STOP =
            new PendingWrite(new byte[0], new WorkflowLog[0], new RecordKind[0], new long[0], new int[0]);

    private final SegmentSet segments;
    private final BlockingQueue<PendingWrite> queue;
    private final int maxBatchWrites;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ExecutorService completions;
    private final Thread thread;
    private final LongAdder records = new LongAdder();
    private final LongAdder snapshots = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 16);
    private volatile @Nullable Throwable failure;

    public GroupCommitWriter(SegmentSet segments, int queueCapacity, int maxBatchWrites) {
        this.segments = segments;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatchWrites = maxBatchWrites;
        String name = "volt-store-" + segments.directory().getFileName();
        this.completions = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, name + "-completions"));
        this.thread = daemon(this::run, name + "-writer");
        thread.start();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Queues a write, waiting while the queue is full (back-pressure on appenders). */
    public void submit(PendingWrite write) throws InterruptedException {
        queue.put(write);
    }

    /** The I/O error that stopped the writer, or {@code null}. */
    public @Nullable Throwable failure() {
        return failure;
    }

    /** Runs {@code action} between two commits, with no write in progress (compaction). */
    public <T> T exclusively(IoAction<T> action) throws IOException {
        writeLock.lock();
        try {
            return action.run();
        } finally {
            writeLock.unlock();
        }
    }

    public FileStoreStatistics statistics() {
        return new FileStoreStatistics(records.sum(), snapshots.sum(), commits.sum(), bytes.sum());
    }

    private void run() {
        List<PendingWrite> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new StoreException("store writer was interrupted");
            }
            queue.drainTo(batch, maxBatchWrites - 1);
            if (batch.remove(STOP) || Thread.currentThread().isInterrupted()) {
                stopping = true;
            }
            commit(batch);
            batch = new ArrayList<>();
        }
    }

    private void commit(List<PendingWrite> batch) {
        if (batch.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            if (failure == null) {
                write(batch);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            writeLock.unlock();
        }
        Throwable cause = failure;
        completions.execute(() -> {
            for (PendingWrite write : batch) {
                if (cause == null) {
                    write.durable().complete(null);
                } else {
                    write.durable()
                            .completeExceptionally(new StoreException(
                                    "store write failed; reopen the store to recover: " + cause.getMessage(), cause));
                }
            }
        });
    }

    private void write(List<PendingWrite> batch) throws IOException {
        int total = 0;
        for (PendingWrite write : batch) {
            total += write.length();
        }
        Segment segment = segments.activeWithRoomFor(total);
        ByteBuffer buffer = scratch(total);
        for (PendingWrite write : batch) {
            write.copyTo(buffer);
        }
        buffer.flip();
        long base = segment.size();
        while (buffer.hasRemaining()) {
            segment.channel().write(buffer, base + buffer.position());
        }
        segment.channel().force(false);
        segment.size(base + total);
        long offset = base;
        for (PendingWrite write : batch) {
            write.indexAt(segment.number(), offset);
            offset += write.length();
            records.add(write.count(RecordKind.EVENT));
            snapshots.add(write.count(RecordKind.SNAPSHOT));
        }
        commits.increment();
        bytes.add(total);
    }

    private ByteBuffer scratch(int bytesNeeded) {
        if (scratch.capacity() < bytesNeeded) {
            scratch = ByteBuffer.allocateDirect(Integer.highestOneBit(bytesNeeded - 1) << 1);
        }
        return scratch.clear();
    }

    /** Writes everything queued before this call, then stops the writer. */
    @Override
    public void close() throws InterruptedException {
        queue.put(STOP);
        thread.join();
        completions.shutdown();
        if (!completions.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new StoreException("store completions did not finish within a minute");
        }
    }

    @FunctionalInterface
    public interface IoAction<T> {
        T run() throws IOException;
    }
}
