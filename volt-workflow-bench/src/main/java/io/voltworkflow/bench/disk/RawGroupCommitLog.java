package io.voltworkflow.bench.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32C;

/**
 * The disk limit: one file, one writer thread, group commit. Each record is framed as checksum, length, kind and
 * payload (the file store's frame size); the writer takes every append queued while the previous sync ran, writes
 * them with one call and makes them durable with one {@code fdatasync} ({@link FileChannel#force force(false)}).
 * No index, no state, no snapshot: what is left is the cost the hardware imposes.
 */
public final class RawGroupCommitLog implements AutoCloseable {
    static final int FRAME_HEADER_BYTES = 9;
    private static final byte KIND_EVENT = 1;

    /** Queued by {@link #close()}: the writer finishes what came before it, then stops. */
    private static final Pending CLOSE = new Pending(List.of(), new CompletableFuture<>());

    private final FileChannel channel;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private long bytesWritten;
    private long syncs;

    public RawGroupCommitLog(Path file) throws IOException {
        this.channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.writer = new Thread(this::writeLoop, "raw-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the payloads; the future completes once they are on disk. */
    public CompletableFuture<Void> append(List<byte[]> payloads) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("log closed"));
        }
        Pending pending = new Pending(payloads, new CompletableFuture<>());
        queue.add(pending);
        return pending.durable();
    }

    /** Bytes written so far (read after the appends completed). */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    public synchronized long syncs() {
        return syncs;
    }

    @SuppressWarnings("ReferenceEquality") // CLOSE is a sentinel instance
    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch);
            stop = batch.removeIf(pending -> pending == CLOSE);
            try {
                buffer = writeBatch(batch, buffer, crc);
                channel.force(false);
                synchronized (this) {
                    syncs++;
                }
                batch.forEach(p -> p.durable().complete(null));
            } catch (IOException | RuntimeException e) {
                batch.forEach(p -> p.durable().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    private ByteBuffer writeBatch(List<Pending> batch, ByteBuffer buffer, CRC32C crc) throws IOException {
        int size = 0;
        for (Pending pending : batch) {
            for (byte[] payload : pending.payloads()) {
                size += FRAME_HEADER_BYTES + payload.length;
            }
        }
        ByteBuffer target =
                buffer.capacity() >= size ? buffer : ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
        target.clear();
        for (Pending pending : batch) {
            for (byte[] payload : pending.payloads()) {
                crc.reset();
                crc.update(payload);
                target.putInt((int) crc.getValue())
                        .putInt(payload.length)
                        .put(KIND_EVENT)
                        .put(payload);
            }
        }
        target.flip();
        while (target.hasRemaining()) {
            channel.write(target);
        }
        synchronized (this) {
            bytesWritten += size;
        }
        return target;
    }

    @Override
    public void close() {
        closed = true;
        queue.add(CLOSE);
        try {
            writer.join();
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Pending(List<byte[]> payloads, CompletableFuture<Void> durable) {}
}
