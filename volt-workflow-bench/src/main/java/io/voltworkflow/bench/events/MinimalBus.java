package io.voltworkflow.bench.events;

import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The in-process delivery limit: a bounded queue and one delivery thread that hands every record to every listener
 * in turn. The publisher blocks when the queue is full, so nothing is dropped and nothing is stored.
 */
final class MinimalBus implements AutoCloseable {
    private final BlockingQueue<Object> queue;
    private final Thread delivery;
    private final Object stop = new Object();

    MinimalBus(int capacity, List<EventListener> listeners) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.delivery = new Thread(() -> deliver(listeners), "minimal-bus");
        delivery.setDaemon(true);
        delivery.start();
    }

    void publish(EventRecord record) throws InterruptedException {
        queue.put(record);
    }

    private void deliver(List<EventListener> listeners) {
        try {
            while (true) {
                Object next = queue.take();
                if (next == stop) {
                    return;
                }
                EventRecord record = (EventRecord) next;
                for (EventListener listener : listeners) {
                    listener.onEvent(record);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        queue.put(stop);
        delivery.join();
    }
}
