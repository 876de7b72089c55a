package io.voltworkflow.core.internal;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.event.WorkflowEvent.StepCompleted;
import io.voltworkflow.core.event.WorkflowEvent.StepFailed;
import io.voltworkflow.core.event.WorkflowEvent.StepRetrying;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.time.TimeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The journal: every state change is an event that it numbers, folds into the workflow's state and queues for the
 * store, then publishes to subscribers once the store says it is durable. Events are recorded inside the workflow's
 * critical section ({@link #emit}, {@link #commit}) so a workflow's log is the order of its decisions; the store is
 * called after the critical section ends ({@link #flush}), one committed batch after another in commit order, so
 * encoding and the store's own work never hold a workflow lock. Publication is strictly in commit order whatever order the
 * store confirms batches in; a batch the store refuses goes to the failure handler instead of to subscribers.
 */
final class Journal {
    private final WorkflowStore store;
    private final EventBus bus;
    private final Analytics analytics;
    private final TimeSource time;
    private final Executor blocking;
    private final Consumer<FailedBatch> onStoreFailure;

    /** Committed batches not yet handed to the store, in commit order. */
    private final ConcurrentLinkedQueue<Batch> toAppend = new ConcurrentLinkedQueue<>();
    /** Held while handing batches to the store, so they reach it in commit order. */
    private final ReentrantLock appending = new ReentrantLock();
    /** Set on a thread whose flushes wait for the end of {@link #holdingFlushes}. */
    private final ThreadLocal<Boolean> holding = new ThreadLocal<>();

    private final ArrayDeque<Batch> toPublish = new ArrayDeque<>();

    /** The batch this thread committed last and has not flushed yet. */
    @SuppressWarnings("ThreadLocalUsage") // per journal: one thread can commit to several orchestrators' journals
    private final ThreadLocal<Batch> committedHere = new ThreadLocal<>();
    /** Notified, under its monitor, each time batches were handed to the store. */
    private final Object handedOver = new Object();

    /** One critical section's events of one workflow, and the copy of the workflow that emitted them. */
    private static final class Batch {
        final WorkflowRuntime workflow;
        final List<EventRecord> records;
        final CompletableFuture<Void> durable = new CompletableFuture<>();
        /** Set under {@link #handedOver}'s monitor once the store has the batch. */
        boolean inStore;

        Batch(WorkflowRuntime workflow, List<EventRecord> records) {
            this.workflow = workflow;
            this.records = records;
        }
    }

    /**
     * Records the store refused, and why; {@code workflow} is the copy that emitted them (with a shared store, a
     * newer copy adopted since may have replaced it).
     */
    record FailedBatch(WorkflowRuntime workflow, List<EventRecord> records, Throwable cause) {}

    Journal(
            WorkflowStore store,
            EventBus bus,
            Analytics analytics,
            TimeSource time,
            Executor blocking,
            Consumer<FailedBatch> onStoreFailure) {
        this.store = store;
        this.bus = bus;
        this.analytics = analytics;
        this.time = time;
        this.blocking = blocking;
        this.onStoreFailure = onStoreFailure;
    }

    /** Numbers an event, folds it into the workflow's state and queues it for the next commit. Under its lock. */
    void emit(WorkflowRuntime w, WorkflowEvent event) {
        EventRecord record = new EventRecord(w.id, w.lastSequence + 1, time.now(), event);
        w.apply(record);
        observe(w, record);
        w.pending.add(record);
    }

    /** Analytics from events: the same for live runs and replays. */
    void observe(WorkflowRuntime w, EventRecord record) {
        WorkflowEvent event = record.event();
        if (event instanceof StepCompleted e) {
            analytics.attemptFinished(w.step(e.step()).definition.type().id(), true, e.durationMs());
        } else if (event instanceof StepRetrying e) {
            analytics.attemptFinished(w.step(e.step()).definition.type().id(), false, e.durationMs());
        } else if (event instanceof StepFailed e) {
            analytics.attemptFinished(w.step(e.step()).definition.type().id(), false, e.durationMs());
        }
    }

    /**
     * Completes once the events emitted so far for {@code w} in this critical section are durable; fails if the store
     * refuses them. Under the workflow's lock.
     */
    CompletableFuture<Void> whenEmittedDurable(WorkflowRuntime w) {
        if (w.emittedDurable == null) {
            w.emittedDurable = new CompletableFuture<>();
        }
        return w.emittedDurable;
    }

    private static void propagate(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((ignored, error) -> {
            if (error != null) {
                to.completeExceptionally(error);
            } else {
                to.complete(null);
            }
        });
    }

    /**
     * Closes the workflow's current batch; the next {@link #flush} hands it to the store. Under the workflow's lock, so
     * one workflow's batches are queued in the order its decisions were taken.
     */
    void commit(WorkflowRuntime w) {
        if (w.pending.isEmpty()) {
            if (w.emittedDurable != null) {
                propagate(w.lastAppend, w.emittedDurable);
                w.emittedDurable = null;
            }
            return;
        }
        Batch batch = new Batch(w, List.copyOf(w.pending));
        w.pending.clear();
        w.lastAppend = batch.durable;
        if (w.emittedDurable != null) {
            propagate(batch.durable, w.emittedDurable);
            w.emittedDurable = null;
        }
        synchronized (toPublish) {
            toPublish.add(batch);
        }
        toAppend.add(batch);
        committedHere.set(batch);
    }

    /**
     * Hands committed batches to the store, in commit order; outside the lock. Everything queued goes in one
     * {@link WorkflowStore#appendEach} call, so batches committed meanwhile by other threads share a write and a sync
     * while each is still accepted or refused on its own. Returns once the batch this thread committed last (and so
     * every batch committed before it) has been handed over, by this thread or by one that was already handing over:
     * a caller that committed may rely on its events being in the store's hands — unless this thread
     * {@linkplain #holdingFlushes holds} its flushes. A thread that finds another one handing over waits for it rather
     * than for the lock: with many committing threads, passing the lock from one to the next (each wake-up a
     * scheduling delay) rather than the disk was the limit; the one handing over looks again after letting go.
     */
    void flush() {
        if (holding.get() != null) {
            return;
        }
        Batch mine = committedHere.get();
        committedHere.remove();
        handOverWhileFree();
        if (mine != null) {
            awaitInStore(mine);
        }
    }

    private void handOverWhileFree() {
        while (!toAppend.isEmpty() && appending.tryLock()) {
            try {
                handOverQueued();
            } finally {
                appending.unlock();
            }
        }
    }

    /**
     * Waits until {@code batch} is in the store's hands. While it is not, either it is still queued and nobody holds
     * the lock (this thread takes it), or another thread holds the lock and notifies when its turn ends.
     */
    private void awaitInStore(Batch batch) {
        boolean interrupted = false;
        while (true) {
            synchronized (handedOver) {
                if (batch.inStore || appending.isHeldByCurrentThread()) {
                    // Held here: a flush from a callback of this thread's own hand-over, which took the batch already.
                    break;
                }
                if (appending.isLocked()) {
                    try {
                        handedOver.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    continue;
                }
            }
            handOverWhileFree();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands everything queued to the store in one call. Holding {@link #appending}. */
    private void handOverQueued() {
        Batch first = toAppend.poll();
        if (first == null) {
            return;
        }
        Batch second = toAppend.poll();
        if (second == null) {
            // The common case: only this thread's own batch.
            CompletableFuture<Void> stored;
            try {
                stored = store.append(first.records);
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            } finally {
                // Even if the call failed with an error: a thread waiting for the batch must not wait for good.
                synchronized (handedOver) {
                    first.inStore = true;
                    handedOver.notifyAll();
                }
            }
            settleWhenStored(first.durable, stored);
            return;
        }
        List<Batch> batches = new ArrayList<>();
        batches.add(first);
        batches.add(second);
        Batch next;
        while ((next = toAppend.poll()) != null) {
            batches.add(next);
        }
        List<CompletableFuture<Void>> stored;
        try {
            stored = store.appendEach(batches.stream().map(b -> b.records).toList());
        } catch (RuntimeException e) {
            stored = Collections.nCopies(batches.size(), CompletableFuture.failedFuture(e));
        } finally {
            synchronized (handedOver) {
                batches.forEach(b -> b.inStore = true);
                handedOver.notifyAll();
            }
        }
        for (int i = 0; i < batches.size(); i++) {
            settleWhenStored(batches.get(i).durable, stored.get(i));
        }
    }

    /**
     * Runs {@code work} with this thread's flushes held, then flushes once: what {@code work} commits — recovery
     * resuming every workflow and re-issuing their running steps — reaches the store as one {@link
     * WorkflowStore#appendEach}. Nothing in {@code work} may wait for its own events to be durable.
     */
    void holdingFlushes(Runnable work) {
        holding.set(Boolean.TRUE);
        try {
            work.run();
        } finally {
            holding.remove();
            flush();
        }
    }

    private void settleWhenStored(CompletableFuture<Void> durable, CompletableFuture<Void> stored) {
        if (stored.isDone() && !stored.isCompletedExceptionally()) {
            // A store that answered at once (in memory): no callback to register.
            settle(durable, null);
        } else {
            stored.whenComplete((ignored, error) -> settle(durable, error));
        }
    }

    /** Completes a batch's durable future with the store's answer, then publishes what became publishable. */
    private void settle(CompletableFuture<Void> durable, @Nullable Throwable error) {
        if (error != null) {
            durable.completeExceptionally(
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        } else {
            durable.complete(null);
        }
        drainPublished();
    }

    /** Publishes durable batches strictly in commit order, whatever order the store confirms them in. */
    private void drainPublished() {
        synchronized (toPublish) {
            while (!toPublish.isEmpty() && toPublish.peek().durable.isDone()) {
                Batch head = toPublish.poll();
                if (head.durable.isCompletedExceptionally()) {
                    Throwable cause = head.durable.handle((v, e) -> e).join();
                    // Not inline: this may run on a thread inside a critical section; taking workflows offline needs
                    // its own.
                    blocking.execute(() -> onStoreFailure.accept(new FailedBatch(head.workflow, head.records, cause)));
                } else {
                    bus.publish(head.records);
                }
            }
        }
    }
}
