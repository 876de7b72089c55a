package io.voltworkflow.bench.events;

import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import java.util.concurrent.atomic.AtomicLong;

/** Counts deliveries and reported misses; remembers when the last delivery happened. */
final class CountingListener implements EventListener {
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private volatile long lastDeliveryNanos;

    @Override
    public void onEvent(EventRecord event) {
        delivered.incrementAndGet();
        lastDeliveryNanos = System.nanoTime();
    }

    @Override
    public void onMissed(long count, long totalMissed) {
        missed.addAndGet(count);
    }

    long delivered() {
        return delivered.get();
    }

    long missed() {
        return missed.get();
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }
}
