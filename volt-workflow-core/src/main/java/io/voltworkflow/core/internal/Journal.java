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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The journal: every state change is an event that it numbers, folds into the workflow's state and queues for the
 * store, then publishes to subscribers once the store says it is durable. Events are recorded inside a critical
 * section ({@link #emit}, {@link #commit}) so the journal's order is the order of decisions; the store is called
 * after the critical section ends ({@link #flush}), one committed batch after another in commit order, so encoding
 * and the store's own work never hold the workflow lock. Publication is strictly in commit order whatever order the
 * store confirms batches in; a batch the store refuses goes to the failure handler instead of to subscribers.
 */
final class Journal {
  private final WorkflowStore store;
  private final EventBus bus;
  private final Analytics analytics;
  private final TimeSource time;
  private final Executor blocking;
  private final Consumer<FailedBatch> onStoreFailure;

  /** Records emitted in the current critical section. Guarded by the workflow lock. */
  private final List<EventRecord> pending = new ArrayList<>();
  /** Durable once every batch committed so far is. Guarded by the workflow lock. */
  private CompletableFuture<Void> lastAppend = CompletableFuture.completedFuture(null);
  /** Asked for in the current critical section: completes with the batch that closes it. Guarded by the lock. */
  private CompletableFuture<Void> emittedDurable;
  /** Committed batches not yet handed to the store, in commit order. */
  private final ConcurrentLinkedQueue<Batch> toAppend = new ConcurrentLinkedQueue<>();
  /** Held while handing batches to the store, so they reach it in commit order. */
  private final ReentrantLock appending = new ReentrantLock();
  private final ArrayDeque<Batch> toPublish = new ArrayDeque<>();

  private record Batch(List<EventRecord> records, CompletableFuture<Void> durable) {}

  /** Records the store refused, and why. */
  record FailedBatch(List<EventRecord> records, Throwable cause) {}

  Journal(WorkflowStore store, EventBus bus, Analytics analytics, TimeSource time, Executor blocking,
      Consumer<FailedBatch> onStoreFailure) {
    this.store = store;
    this.bus = bus;
    this.analytics = analytics;
    this.time = time;
    this.blocking = blocking;
    this.onStoreFailure = onStoreFailure;
  }

  /** Numbers an event, folds it into the workflow's state and queues it for the next commit. Under the lock. */
  void emit(WorkflowRuntime w, WorkflowEvent event) {
    EventRecord record = new EventRecord(w.id, w.lastSequence + 1, time.now(), event);
    w.apply(record);
    observe(w, record);
    pending.add(record);
  }

  /** Analytics from events: the same for live runs and replays. Under the lock. */
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
   * Completes once the events emitted so far in this critical section are durable; fails if the store refuses them.
   * Under the lock.
   */
  CompletableFuture<Void> whenEmittedDurable() {
    if (emittedDurable == null) {
      emittedDurable = new CompletableFuture<>();
    }
    return emittedDurable;
  }

  /** Closes the current batch: it is handed to the store by the next {@link #flush}. Under the lock. */
  void commit() {
    if (pending.isEmpty()) {
      if (emittedDurable != null) {
        propagate(lastAppend, emittedDurable);
        emittedDurable = null;
      }
      return;
    }
    Batch batch = new Batch(List.copyOf(pending), new CompletableFuture<>());
    pending.clear();
    lastAppend = batch.durable;
    if (emittedDurable != null) {
      propagate(batch.durable, emittedDurable);
      emittedDurable = null;
    }
    synchronized (toPublish) {
      toPublish.add(batch);
    }
    toAppend.add(batch);
    batch.durable.whenComplete((ignored, error) -> drainPublished());
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

  /** Completes once every batch committed so far is durable (or fails with the store's error). Under the lock. */
  CompletableFuture<Void> lastAppend() {
    return lastAppend;
  }

  boolean hasUnflushed() {
    return !toAppend.isEmpty();
  }

  /**
   * Hands committed batches to the store, in commit order; outside the lock. Returns once every batch committed
   * before the call has been handed over (by this thread or by one that was already flushing), so a caller that
   * committed may rely on its events being in the store's hands.
   */
  void flush() {
    if (toAppend.isEmpty()) {
      return;
    }
    appending.lock();
    try {
      Batch batch;
      while ((batch = toAppend.poll()) != null) {
        CompletableFuture<Void> stored;
        try {
          stored = store.append(batch.records);
        } catch (RuntimeException e) {
          stored = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> durable = batch.durable;
        stored.whenComplete((ignored, error) -> {
          if (error != null) {
            durable.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error);
          } else {
            durable.complete(null);
          }
        });
      }
    } finally {
      appending.unlock();
    }
  }

  /** Publishes durable batches strictly in commit order, whatever order the store confirms them in. */
  private void drainPublished() {
    synchronized (toPublish) {
      while (!toPublish.isEmpty() && toPublish.peek().durable.isDone()) {
        Batch head = toPublish.poll();
        if (head.durable.isCompletedExceptionally()) {
          Throwable cause = head.durable.handle((v, e) -> e).join();
          // Not inline: this may run on a thread inside a critical section; taking workflows offline needs its own.
          blocking.execute(() -> onStoreFailure.accept(new FailedBatch(head.records, cause)));
        } else {
          bus.publish(head.records);
        }
      }
    }
  }
}
