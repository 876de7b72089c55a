package io.voltworkflow.core.internal;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.event.WorkflowEvent.StepCancelled;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The workflows this process runs and the critical sections that change them. {@link #locked} runs a decision under
 * the workflow lock, lets the dispatcher start whatever became ready, commits the events to the journal, and only
 * after unlocking hands them to the store and runs the deferred work (engine calls, cancellation hooks, future
 * completions), through a trampoline so chains of instant steps use constant stack. It also owns the ways a
 * workflow stops — finished, failed, cancelled steps, taken offline — which every other part uses.
 */
final class Workflows {
  private static final System.Logger LOG = System.getLogger(Workflows.class.getName());
  private static final ThreadLocal<ArrayDeque<Runnable>> TRAMPOLINE = new ThreadLocal<>();

  private final OrchestratorOptions options;
  private final TimeSource time;
  private final Optional<LeaseManager> leases;
  private final Dispatcher dispatcher;
  private Journal journal;
  private Runnable dispatchPass = () -> {};

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<WorkflowId, WorkflowRuntime> byId = new LinkedHashMap<>();
  private final Map<WorkflowId, String> unavailable = new HashMap<>();
  private final List<Runnable> afterUnlock = new ArrayList<>();
  private boolean draining;
  private boolean closed;
  private CompletableFuture<Void> idleWaiter;

  Workflows(OrchestratorOptions options, Optional<LeaseManager> leases, Dispatcher dispatcher) {
    this.options = options;
    this.time = options.timeSource();
    this.leases = leases;
    this.dispatcher = dispatcher;
  }

  /** Wiring: the journal events go to, and the pass that starts ready steps at the end of every critical section. */
  void wire(Journal journal, Runnable dispatchPass) {
    this.journal = journal;
    this.dispatchPass = dispatchPass;
  }

  // ------------------------------------------------------------------------------------------ critical sections

  /** Runs {@code action} under the lock, dispatches, commits its events, then stores them and runs deferred work. */
  <T> T locked(Supplier<T> action) {
    RuntimeException failure = null;
    T result = null;
    List<Runnable> deferred;
    lock.lock();
    try {
      try {
        result = action.get();
      } catch (RuntimeException e) {
        failure = e;
      }
      dispatchPass.run();
      journal.commit();
      deferred = takeDeferred();
    } finally {
      lock.unlock();
    }
    journal.flush();
    runDeferred(deferred);
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** Like {@link #locked}, and waits until the events are durable; returns the workflow's status then. */
  WorkflowStatus durably(Supplier<WorkflowRuntime> action) {
    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] durable = new CompletableFuture[1];
    WorkflowRuntime w = locked(() -> {
      WorkflowRuntime result = action.get();
      journal.commit();
      durable[0] = journal.lastAppend();
      return result;
    });
    try {
      durable[0].join();
    } catch (CompletionException e) {
      throw new StoreException("the store could not record the change to workflow "
          + w.id + ": " + e.getCause().getMessage(), e.getCause());
    }
    return locked(() -> status(w));
  }

  /** Runs {@code action} under the lock without dispatching or committing: for work that emits nothing. */
  void underLock(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** Deferred until the current critical section has ended. Under the lock. */
  void afterUnlock(Runnable action) {
    afterUnlock.add(action);
  }

  private List<Runnable> takeDeferred() {
    if (afterUnlock.isEmpty()) {
      return List.of();
    }
    List<Runnable> deferred = new ArrayList<>(afterUnlock);
    afterUnlock.clear();
    return deferred;
  }

  /**
   * Runs deferred work; nested calls (a step that completes synchronously and so starts the next one) queue on the
   * outermost caller instead of recursing, so long chains of instant steps use constant stack.
   */
  private static void runDeferred(List<Runnable> deferred) {
    if (deferred.isEmpty()) {
      return;
    }
    ArrayDeque<Runnable> queue = TRAMPOLINE.get();
    if (queue != null) {
      queue.addAll(deferred);
      return;
    }
    queue = new ArrayDeque<>(deferred);
    TRAMPOLINE.set(queue);
    try {
      Runnable next;
      while ((next = queue.poll()) != null) {
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "deferred orchestrator work failed", e);
        }
      }
    } finally {
      TRAMPOLINE.remove();
    }
  }

  // ------------------------------------------------------------------------------------------------ registry

  /** The workflow, or why it cannot be had. Under the lock. */
  WorkflowRuntime get(WorkflowId id) {
    WorkflowRuntime w = byId.get(id);
    if (w == null) {
      String why = unavailable.get(id);
      if (why != null) {
        throw new StoreException("workflow " + id + " is unavailable: " + why);
      }
      throw new WorkflowNotFoundException(id);
    }
    return w;
  }

  WorkflowRuntime find(WorkflowId id) {
    return byId.get(id);
  }

  /** Whether {@code w} is still the copy this process runs (not taken offline or replaced). Under the lock. */
  boolean isLive(WorkflowRuntime w) {
    return byId.get(w.id) == w;
  }

  void add(WorkflowRuntime w) {
    byId.put(w.id, w);
    unavailable.remove(w.id);
  }

  WorkflowRuntime remove(WorkflowId id) {
    return byId.remove(id);
  }

  Collection<WorkflowRuntime> all() {
    return byId.values();
  }

  int size() {
    return byId.size();
  }

  WorkflowStatus status(WorkflowRuntime w) {
    return StatusViews.status(w, time.now(), options.retryPolicy());
  }

  // ------------------------------------------------------------------------------------------------- shutdown

  boolean accepting() {
    return !closed && !draining;
  }

  void ensureOpen() {
    if (!accepting()) {
      throw new IllegalStateException("the orchestrator is shut down");
    }
  }

  boolean closed() {
    return closed;
  }

  /** Stops starting steps; {@code idle} completes once no attempt runs. Under the lock. */
  void drain(CompletableFuture<Void> idle) {
    draining = true;
    if (dispatcher.running() == 0) {
      idle.complete(null);
    } else {
      idleWaiter = idle;
    }
  }

  /** Marks the end of this process's run; false when it had already ended. Under the lock. */
  boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  /** After an attempt ended: wakes a shutdown waiting for the last one. Under the lock. */
  void attemptEnded() {
    if (draining && dispatcher.running() == 0 && idleWaiter != null) {
      CompletableFuture<Void> waiter = idleWaiter;
      afterUnlock.add(() -> waiter.complete(null));
    }
  }

  // ----------------------------------------------------------------------------------- how workflows stop

  /** Ends the bookkeeping of a step's running attempt; its engine call is cancelled by the caller, outside the lock. */
  Attempt release(WorkflowRuntime w, StepRuntime s) {
    Attempt a = s.current;
    a.finished = true;
    if (a.timeoutTimer != null) {
      a.timeoutTimer.cancel();
    }
    s.current = null;
    dispatcher.released(w);
    return a;
  }

  void failWorkflow(WorkflowRuntime w, StepError error, String stepName) {
    stopSteps(w, "workflow failed" + (stepName == null ? ": " + error.code() : ": step '" + stepName + "' failed"));
    journal.emit(w, new WorkflowEvent.WorkflowFailed(error, stepName));
    finished(w);
  }

  /** Cancels running attempts and pending retries of a workflow, recording each step as cancelled. */
  void stopSteps(WorkflowRuntime w, String reason) {
    for (StepRuntime s : w.steps) {
      if (s.retryTimer != null) {
        s.retryTimer.cancel();
        s.retryTimer = null;
      }
      if (s.current != null) {
        Attempt a = release(w, s);
        afterUnlock.add(() -> a.cancellation.cancel(reason));
      }
      if (s.state == StepState.RUNNING || s.state == StepState.RETRY_WAIT) {
        journal.emit(w, new StepCancelled(s.name(), reason));
      }
      s.reissue = false;
    }
    dispatcher.dropParked(w);
  }

  /** A workflow reached completed, failed or cancelled: wake waiters, stop its timers, free its lease. */
  void finished(WorkflowRuntime w) {
    if (w.deadlineTimer != null) {
      w.deadlineTimer.cancel();
      w.deadlineTimer = null;
    }
    WorkflowStatus status = status(w);
    List<CompletableFuture<WorkflowStatus>> waiters = new ArrayList<>(w.terminationWaiters);
    waiters.addAll(w.pauseWaiters);
    w.terminationWaiters.clear();
    w.pauseWaiters.clear();
    afterUnlock.add(() -> waiters.forEach(f -> f.complete(status)));
    leases.ifPresent(l -> afterUnlock.add(() -> l.release(w.id, options.instanceId())));
  }

  void completePauseWaitersIfIdle(WorkflowRuntime w) {
    if (w.state == WorkflowState.PAUSED && w.dispatched == 0 && !w.pauseWaiters.isEmpty()) {
      WorkflowStatus status = status(w);
      List<CompletableFuture<WorkflowStatus>> waiters = new ArrayList<>(w.pauseWaiters);
      w.pauseWaiters.clear();
      afterUnlock.add(() -> waiters.forEach(f -> f.complete(status)));
    }
  }

  /** (Re)arms the workflow's deadline, counted from its start. Under the lock. */
  void scheduleDeadline(WorkflowRuntime w) {
    Optional<Duration> deadline = w.options.deadline();
    if (deadline.isEmpty() || w.startedAt == null) {
      return;
    }
    if (w.deadlineTimer != null) {
      w.deadlineTimer.cancel();
    }
    Duration left = Duration.between(time.now(), w.startedAt.plus(deadline.get()));
    w.deadlineTimer = time.schedule(left, () -> locked(() -> {
      if (isLive(w) && (w.state == WorkflowState.RUNNING || w.state == WorkflowState.PAUSED)) {
        failWorkflow(w, StepError.fatal(StepError.DEADLINE_EXCEEDED,
            "the workflow did not finish within its deadline of " + deadline.get().toMillis() + " ms"), null);
      }
      return null;
    }));
  }

  /** Forgets a workflow in this process without recording anything; its running attempts go to {@code toCancel}. */
  void detach(WorkflowRuntime w, List<Attempt> toCancel, String why) {
    if (w.deadlineTimer != null) {
      w.deadlineTimer.cancel();
    }
    for (StepRuntime s : w.steps) {
      if (s.retryTimer != null) {
        s.retryTimer.cancel();
      }
      if (s.current != null) {
        toCancel.add(release(w, s));
      }
    }
    List<CompletableFuture<WorkflowStatus>> waiters = new ArrayList<>(w.terminationWaiters);
    waiters.addAll(w.pauseWaiters);
    w.terminationWaiters.clear();
    w.pauseWaiters.clear();
    afterUnlock.add(() -> waiters.forEach(f -> f.completeExceptionally(
        new IllegalStateException("workflow " + w.id + " is no longer run by this orchestrator: " + why))));
  }

  /**
   * The store refused events we already applied: memory is ahead of the store. The affected workflows are taken
   * out of this process (their in-flight calls interrupted, nothing more recorded) so no further decision builds on
   * state that was not persisted; the store's version stays the truth for the next owner.
   */
  void storeFailed(Journal.FailedBatch failed) {
    Map<WorkflowId, String> affected = new LinkedHashMap<>();
    for (EventRecord record : failed.records()) {
      affected.put(record.workflowId(), String.valueOf(failed.cause().getMessage()));
    }
    LOG.log(System.Logger.Level.ERROR, "store append failed; taking workflows " + affected.keySet() + " offline",
        failed.cause());
    List<Attempt> toCancel = new ArrayList<>();
    locked(() -> {
      affected.forEach((id, message) -> {
        WorkflowRuntime w = byId.remove(id);
        if (leases.isEmpty()) {
          unavailable.put(id, "the store refused its events: " + message);
        }
        if (w != null) {
          detach(w, toCancel, "the store refused its events");
        }
      });
      return null;
    });
    toCancel.forEach(a -> a.cancellation.cancel("workflow taken offline after a store failure"));
    // With a shared store the stored log stays the truth and the workflow is not lost to everyone: this instance
    // stops renewing its lease, so once it expires whoever adopts it (this instance too) replays it from the store.
    leases.ifPresent(l -> affected.keySet().forEach(id -> {
      try {
        l.release(id, options.instanceId());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot release the lease of workflow " + id + "; it expires", e);
      }
    }));
  }
}
