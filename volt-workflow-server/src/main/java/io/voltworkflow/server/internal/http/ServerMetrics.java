package io.voltworkflow.server.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/** The server's own figures (event streams); workflow figures come from the orchestrator at scrape time. */
public final class ServerMetrics {
    /** Upper bounds, in seconds, of the event lag histogram. */
    static final List<Double> LAG_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    private final Set<IntSupplier> streamQueues = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray lagBuckets = new AtomicLongArray(LAG_BUCKETS.size() + 1);
    private final AtomicLong lagMicrosSum = new AtomicLong();
    private final AtomicLong streamCatchUps = new AtomicLong();
    private final AtomicLong streamEventsSent = new AtomicLong();

    /** Registers a connection's queue depth; returns the handle that unregisters it. */
    public Runnable registerStream(IntSupplier queueDepth) {
        streamQueues.add(queueDepth);
        return () -> streamQueues.remove(queueDepth);
    }

    /** An event reached a client {@code lagMillis} after it happened. */
    public void eventSent(long lagMillis) {
        streamEventsSent.incrementAndGet();
        double seconds = Math.max(0, lagMillis) / 1000.0;
        int bucket = 0;
        while (bucket < LAG_BUCKETS.size() && seconds > LAG_BUCKETS.get(bucket)) {
            bucket++;
        }
        lagBuckets.incrementAndGet(bucket);
        lagMicrosSum.addAndGet(Math.max(0, lagMillis) * 1000);
    }

    /** A connection fell behind its queue and was fed from the store. */
    public void streamCaughtUpFromStore() {
        streamCatchUps.incrementAndGet();
    }

    int streamConnections() {
        return streamQueues.size();
    }

    long streamQueueDepth() {
        return streamQueues.stream().mapToLong(IntSupplier::getAsInt).sum();
    }

    public long streamCatchUps() {
        return streamCatchUps.get();
    }

    long streamEventsSent() {
        return streamEventsSent.get();
    }

    /** Deliveries per bucket of {@link #LAG_BUCKETS} (not cumulative), then those above the highest bound. */
    List<Long> lagBuckets() {
        List<Long> counts = new ArrayList<>(lagBuckets.length());
        for (int i = 0; i < lagBuckets.length(); i++) {
            counts.add(lagBuckets.get(i));
        }
        return counts;
    }

    double lagSumSeconds() {
        return lagMicrosSum.get() / 1_000_000.0;
    }
}
