package io.voltworkflow.core.internal;

import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Delivers durable events to listeners off the engine's threads. Each listener has a bounded queue and is drained
 * in batches by a small delivery pool, one batch at a time per listener so a slow one only delays itself.
 * Publishing never blocks the engine: when a listener's queue is full the event is dropped from the queue, counted
 * ({@link Subscription#missedEvents()}, {@link EventListener#onMissed}) and read back from the store before the
 * next event of its workflow (or as soon as the queue drains), so every listener still receives every event once,
 * in order per workflow.
 */
final class EventBus implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());
    private static final int STORE_PAGE = 1000;
    /** Batches one listener gets before yielding the delivery thread to the next. */
    private static final int BATCHES_PER_TURN = 64;

    private final int queueSize;
    private final int batchSize;
    private final boolean enabled;
    private final WorkflowStore store;
    private final ExecutorService delivery;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    EventBus(int queueSize, int batchSize, boolean enabled, WorkflowStore store) {
        this.queueSize = queueSize;
        this.batchSize = batchSize;
        this.enabled = enabled;
        this.store = store;
        AtomicInteger count = new AtomicInteger();
        this.delivery = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "volt-events-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    Subscription subscribe(Predicate<EventRecord> filter, EventListener listener) {
        Subscriber subscriber = new Subscriber(filter, listener, null, 0);
        subscribers.add(subscriber);
        return subscriber;
    }

    /** Events of one workflow after {@code afterSequence}: stored ones first, then live ones. */
    Subscription subscribe(WorkflowId workflowId, long afterSequence, EventListener listener) {
        Subscriber subscriber =
                new Subscriber(r -> r.workflowId().equals(workflowId), listener, workflowId, afterSequence);
        subscribers.add(subscriber);
        subscriber.requestCatchUp(workflowId, afterSequence);
        return subscriber;
    }

    /**
     * Like {@link #subscribe(WorkflowId, long, EventListener)}, and reads the store for newer events every {@code
     * period} as well: for a store shared by several instances, where the workflow may be run by another instance
     * (or move to one), whose events this process never publishes. Each event is still delivered once, in order.
     */
    Subscription subscribeTailing(
            WorkflowId workflowId, long afterSequence, EventListener listener, TimeSource time, Duration period) {
        Subscriber subscriber =
                new Subscriber(r -> r.workflowId().equals(workflowId), listener, workflowId, afterSequence);
        subscribers.add(subscriber);
        subscriber.requestCatchUp(workflowId, afterSequence);
        subscriber.tailEvery(workflowId, time, period);
        return subscriber;
    }

    /** Called with durable events, each workflow's in sequence order. */
    void publish(List<EventRecord> records) {
        if (!enabled || subscribers.isEmpty()) {
            return;
        }
        for (Subscriber subscriber : subscribers) {
            for (EventRecord record : records) {
                if (subscriber.filter.test(record)) {
                    subscriber.offer(record);
                }
            }
        }
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** Events waiting in listener queues: the bus's lag. */
    long queuedEvents() {
        long total = 0;
        for (Subscriber subscriber : subscribers) {
            total += subscriber.queued();
        }
        return total;
    }

    @Override
    public void close() {
        delivery.shutdown();
    }

    /** Sequences of one workflow from {@code first} to {@code last} that a listener may not have received. */
    private record Gap(long first, long last) {
        static Gap from(long first) {
            return new Gap(first, Long.MAX_VALUE);
        }

        static Gap span(Gap a, Gap b) {
            return new Gap(Math.min(a.first, b.first), Math.max(a.last, b.last));
        }
    }

    private final class Subscriber implements Subscription {
        final Predicate<EventRecord> filter;
        final EventListener listener;
        /** The one workflow followed, or {@code null} for a subscription by filter. */
        final @Nullable WorkflowId workflowId;

        private final ArrayDeque<EventRecord> queue = new ArrayDeque<>();
        /** Sequences dropped per workflow since the last repair; guarded by this. */
        private final Map<WorkflowId, Gap> gaps = new HashMap<>();

        private boolean scheduled;
        private long missed;
        private long unreportedMissed;
        private volatile boolean closed;
        private volatile TimeSource.@Nullable Timer tailTimer;
        /**
         * Last sequence delivered, for workflows whose events were ever read back from the store (so a live copy of a
         * repaired event is not delivered twice); touched by the draining thread alone.
         */
        private final Map<WorkflowId, Long> lastDelivered = new HashMap<>();

        Subscriber(
                Predicate<EventRecord> filter,
                EventListener listener,
                @Nullable WorkflowId workflowId,
                long afterSequence) {
            this.filter = filter;
            this.listener = listener;
            this.workflowId = workflowId;
            if (workflowId != null) {
                lastDelivered.put(workflowId, afterSequence);
            }
        }

        synchronized void offer(EventRecord record) {
            if (closed) {
                return;
            }
            if (queue.size() < queueSize) {
                queue.add(record);
            } else {
                gaps.merge(record.workflowId(), new Gap(record.sequence(), record.sequence()), Gap::span);
                missed++;
                unreportedMissed++;
            }
            schedule();
        }

        /** A workflow subscription starts by reading what is already stored. */
        synchronized void requestCatchUp(WorkflowId workflow, long afterSequence) {
            gaps.put(workflow, Gap.from(afterSequence + 1));
            schedule();
        }

        /** Reads the store for events after the last delivered one every {@code period}, until closed. */
        void tailEvery(WorkflowId workflow, TimeSource time, Duration period) {
            tailTimer = time.schedule(period, () -> {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    // Repair reads from the last delivered event on: asking from the first is asking for what is new.
                    gaps.merge(workflow, Gap.from(1), Gap::span);
                    schedule();
                }
                tailEvery(workflow, time, period);
            });
        }

        synchronized int queued() {
            return queue.size();
        }

        private void schedule() {
            if (!scheduled) {
                scheduled = true;
                delivery.execute(this::drainOneBatch);
            }
        }

        /** A few batches, then back into the pool's queue, so listeners take turns. */
        private void drainOneBatch() {
            for (int turn = 0; turn < BATCHES_PER_TURN; turn++) {
                if (!drainBatch(turn == BATCHES_PER_TURN - 1)) {
                    return;
                }
            }
        }

        /** Delivers one batch; returns whether to go on in this turn. */
        private boolean drainBatch(boolean lastOfTurn) {
            List<EventRecord> batch = new ArrayList<>(batchSize);
            long missedNow;
            Map<WorkflowId, Gap> tailGaps = Map.of();
            synchronized (this) {
                while (batch.size() < batchSize && !queue.isEmpty()) {
                    batch.add(queue.poll());
                }
                missedNow = unreportedMissed;
                unreportedMissed = 0;
                // Only with nothing left to deliver live: a queued event of the same workflow repairs its own gap
                // first.
                if (batch.isEmpty() && !gaps.isEmpty()) {
                    tailGaps = new HashMap<>(gaps);
                    gaps.clear();
                }
                if (closed || (batch.isEmpty() && missedNow == 0 && tailGaps.isEmpty())) {
                    scheduled = false;
                    return false;
                }
            }
            boolean goOn = false;
            try {
                if (missedNow > 0) {
                    listener.onMissed(missedNow, missedEvents());
                }
                for (EventRecord record : batch) {
                    deliverInOrder(record);
                }
                tailGaps.forEach((workflow, gap) -> repair(workflow, gap.first(), Long.MAX_VALUE));
            } finally {
                synchronized (this) {
                    if (closed) {
                        scheduled = false;
                    } else if (lastOfTurn) {
                        delivery.execute(this::drainOneBatch);
                    } else {
                        goOn = true;
                    }
                }
            }
            return goOn;
        }

        /** Delivers a live event after any dropped events of its workflow that came before it. */
        private void deliverInOrder(EventRecord record) {
            WorkflowId workflow = record.workflowId();
            Long last = lastDelivered.get(workflow);
            if (last != null && record.sequence() <= last) {
                return;
            }
            Long firstMissing = null;
            synchronized (this) {
                Gap gap = gaps.get(workflow);
                if (gap != null && gap.first() < record.sequence()) {
                    firstMissing = gap.first();
                    // Events dropped after this one was queued stay a gap: no later live event may come to reveal them.
                    if (gap.last() > record.sequence()) {
                        gaps.put(workflow, new Gap(record.sequence() + 1, gap.last()));
                    } else {
                        gaps.remove(workflow);
                    }
                }
            }
            if (firstMissing == null && last != null && record.sequence() > last + 1) {
                firstMissing = last + 1; // a tracked workflow's sequence jumped: events dropped since the last repair
            }
            if (firstMissing != null) {
                repair(workflow, firstMissing, record.sequence() - 1);
            }
            last = lastDelivered.get(workflow);
            if (last != null && record.sequence() <= last) {
                return;
            }
            deliver(record);
            if (last != null) {
                lastDelivered.put(workflow, record.sequence());
            }
            if (workflowId == null
                    && (record.event() instanceof WorkflowEvent.WorkflowCompleted
                            || record.event() instanceof WorkflowEvent.WorkflowCancelled)) {
                // Nothing follows completion: forget the workflow, or a long-lived listener would grow without bound.
                lastDelivered.remove(workflow);
            }
        }

        /** Reads dropped events back from the store and delivers them, through {@code through}. */
        private void repair(WorkflowId workflow, long firstMissing, long through) {
            long after = Math.max(firstMissing - 1, lastDelivered.getOrDefault(workflow, 0L));
            while (!closed && after < through) {
                List<EventRecord> page = store.read(workflow, after, STORE_PAGE);
                for (EventRecord record : page) {
                    if (record.sequence() > through || closed) {
                        break;
                    }
                    if (filter.test(record)) {
                        deliver(record);
                    }
                    after = record.sequence();
                }
                if (page.size() < STORE_PAGE
                        || (!page.isEmpty() && page.get(page.size() - 1).sequence() >= through)) {
                    break;
                }
            }
            lastDelivered.put(workflow, after);
        }

        private void deliver(EventRecord record) {
            try {
                listener.onEvent(record);
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "event listener failed on " + record.type().wireName() + " #" + record.sequence()
                                + " of workflow " + record.workflowId(),
                        e);
            }
        }

        @Override
        public synchronized long missedEvents() {
            return missed;
        }

        @Override
        public void close() {
            closed = true;
            TimeSource.Timer tail = tailTimer;
            if (tail != null) {
                tail.cancel();
            }
            subscribers.remove(this);
            synchronized (this) {
                queue.clear();
            }
        }
    }
}
