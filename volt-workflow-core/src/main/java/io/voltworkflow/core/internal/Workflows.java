package io.voltworkflow.core.internal;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowNotFoundException;
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
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The workflows this process runs and the critical sections that change them. Each workflow has its own lock, so a
 * decision about one never waits for another. {@link #locked} runs a decision under the workflow's lock and commits
 * its events to the journal; after unlocking it hands them to the store, then runs the deferred work (engine calls,
 * cancellation hooks, future completions) and a dispatch pass that starts whatever became ready, through a
 * per-thread trampoline so chains of instant steps use constant stack. It also owns the ways a workflow stops —
 * finished, failed, cancelled steps, taken offline — which every other part uses.
 */
final class Workflows {
    private static final System.Logger LOG = System.getLogger(Workflows.class.getName());
    private static final ThreadLocal<ArrayDeque<Runnable>> TRAMPOLINE = new ThreadLocal<>();

    private final OrchestratorOptions options;
    private final TimeSource time;
    private final Optional<LeaseManager> leases;
    private final Dispatcher dispatcher;
    private final Journal journal;
    private Runnable dispatchPass = () -> {};
    private Consumer<WorkflowRuntime> dispatchWithin = w -> {};

    private final Map<WorkflowId, WorkflowRuntime> byId = new ConcurrentHashMap<>();
    private final Map<WorkflowId, String> unavailable = new ConcurrentHashMap<>();
    private final ReentrantLock[] claims = new ReentrantLock[64];
    private final AtomicLong storeAppendFailures = new AtomicLong();
    private volatile boolean draining;
    private volatile boolean closed;
    private volatile @Nullable CompletableFuture<Void> idleWaiter;

    /** {@code journal} builds the journal events go to, given what it tells when the store refuses a batch. */
    Workflows(
            OrchestratorOptions options,
            Optional<LeaseManager> leases,
            Dispatcher dispatcher,
            Function<Consumer<Journal.FailedBatch>, Journal> journal) {
        this.options = options;
        this.time = options.timeSource();
        this.leases = leases;
        this.dispatcher = dispatcher;
        this.journal = journal.apply(this::storeFailed);
        for (int i = 0; i < claims.length; i++) {
            claims[i] = new ReentrantLock();
        }
    }

    Journal journal() {
        return journal;
    }

    /**
     * Wiring: the pass that starts ready steps after every critical section, and the one that starts the section's own
     * workflow's steps inside it while they head the ready queue.
     */
    void wire(Runnable dispatchPass, Consumer<WorkflowRuntime> dispatchWithin) {
        this.dispatchPass = dispatchPass;
        this.dispatchWithin = dispatchWithin;
    }

    // ------------------------------------------------------------------------------------------ critical sections

    /** Runs {@code action} under the workflow's lock, commits its events, then stores them and runs deferred work. */
    <T> T locked(WorkflowRuntime w, Supplier<T> action) {
        return section(w, action, true);
    }

    /** Like {@link #locked}, without queuing a dispatch pass: for the dispatch pass itself. */
    void lockedWithoutDispatch(WorkflowRuntime w, Runnable action) {
        section(
                w,
                () -> {
                    action.run();
                    return null;
                },
                false);
    }

    /**
     * With {@code dispatch}, the workflow's own steps that head the ready queue are started before the section ends:
     * finishing a step and starting its successor take one section and one batch of events, in the order two
     * sections would have recorded them, and no other workflow's step is passed over.
     */
    private <T> T section(WorkflowRuntime w, Supplier<T> action, boolean dispatch) {
        List<Runnable> deferred = null;
        boolean committed = false;
        try {
            w.lock.lock();
            try {
                // What the action returns, or throws, once the section has ended; its events are committed either way.
                return action.get();
            } finally {
                if (dispatch) {
                    try {
                        dispatchWithin.accept(w);
                    } catch (RuntimeException e) {
                        // As in the dispatch pass: the caller's change stands; the step stays for the next pass.
                        LOG.log(System.Logger.Level.ERROR, "starting a ready step failed", e);
                    }
                }
                try {
                    journal.commit(w);
                    deferred = takeDeferred(w);
                    committed = true;
                } finally {
                    w.lock.unlock();
                }
            }
        } finally {
            if (committed) {
                journal.flush();
                runDeferred(deferred, dispatch ? dispatchPass : null);
            }
        }
    }

    /** Runs {@code action} on the live workflow {@code id} under its lock; see {@link #locked}. */
    <T> T locked(WorkflowId id, Function<WorkflowRuntime, T> action) {
        while (true) {
            WorkflowRuntime w = get(id);
            boolean[] live = {true};
            T result = locked(w, () -> {
                if (!isLive(w)) {
                    live[0] = false;
                    return null;
                }
                return action.apply(w);
            });
            if (live[0]) {
                return result;
            }
        }
    }

    /** Like {@link #locked(WorkflowId, Function)}, and waits until the events are durable; returns the status then. */
    WorkflowStatus durably(WorkflowId id, Consumer<WorkflowRuntime> action) {
        Committed committed = locked(id, live -> {
            action.accept(live);
            journal.commit(live);
            return new Committed(live, live.lastAppend);
        });
        return awaitDurable(committed.workflow(), committed.durable());
    }

    /** A workflow and the future that completes once the batch just committed for it is stored. */
    private record Committed(WorkflowRuntime workflow, CompletableFuture<Void> durable) {}

    /**
     * Registers a new workflow and records its first events, durably; null when another caller registered the id
     * first.
     */
    @Nullable
    WorkflowStatus createDurably(WorkflowRuntime w, Consumer<WorkflowRuntime> action) {
        CompletableFuture<Void> durable = locked(w, () -> {
            ensureOpen();
            if (byId.putIfAbsent(w.id, w) != null) {
                return null;
            }
            unavailable.remove(w.id);
            action.accept(w);
            journal.commit(w);
            return w.lastAppend;
        });
        return durable == null ? null : awaitDurable(w, durable);
    }

    private WorkflowStatus awaitDurable(WorkflowRuntime w, CompletableFuture<Void> durable) {
        try {
            durable.join();
        } catch (CompletionException e) {
            Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
            throw new StoreException(
                    "the store could not record the change to workflow " + w.id + ": " + cause.getMessage(), cause);
        }
        return guarded(w, () -> status(w));
    }

    /** Runs {@code reader} under the workflow's lock, for reads and process-local bookkeeping: records no event. */
    <T> T guarded(WorkflowRuntime w, Supplier<T> reader) {
        w.lock.lock();
        try {
            return reader.get();
        } finally {
            w.lock.unlock();
        }
    }

    /** Deferred until the workflow's current critical section has ended. Under its lock. */
    void afterUnlock(WorkflowRuntime w, Runnable action) {
        w.deferred.add(action);
    }

    private static @Nullable List<Runnable> takeDeferred(WorkflowRuntime w) {
        if (w.deferred.isEmpty()) {
            return null;
        }
        List<Runnable> deferred = List.copyOf(w.deferred);
        w.deferred.clear();
        return deferred;
    }

    /**
     * Runs deferred work, then {@code last}; nested calls (a step that completes synchronously and so starts the next
     * one) queue on the outermost caller instead of recursing, so long chains of instant steps use constant stack.
     */
    private static void runDeferred(@Nullable List<Runnable> deferred, @Nullable Runnable last) {
        if (deferred == null && last == null) {
            return;
        }
        ArrayDeque<Runnable> queue = TRAMPOLINE.get();
        boolean outermost = queue == null;
        if (outermost) {
            queue = new ArrayDeque<>();
            TRAMPOLINE.set(queue);
        }
        if (deferred != null) {
            queue.addAll(deferred);
        }
        if (last != null) {
            queue.add(last);
        }
        if (!outermost) {
            return;
        }
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

    /** The workflow, or why it cannot be had. */
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

    @Nullable
    WorkflowRuntime find(WorkflowId id) {
        return byId.get(id);
    }

    /** Whether {@code w} is still the copy this process runs (not taken offline or replaced). */
    boolean isLive(WorkflowRuntime w) {
        return byId.get(w.id) == w;
    }

    void add(WorkflowRuntime w) {
        byId.put(w.id, w);
        unavailable.remove(w.id);
    }

    /** Calls for the workflow are refused with {@code why} (it could not be rebuilt from the store). Under the lock. */
    void unavailable(WorkflowId id, String why) {
        byId.remove(id);
        unavailable.put(id, why);
    }

    /** Unregisters {@code w} if it is still the copy registered for its id. */
    boolean remove(WorkflowId id, WorkflowRuntime w) {
        return byId.remove(id, w);
    }

    /** Batches of events the store refused since the orchestrator opened. */
    long storeAppendFailures() {
        return storeAppendFailures.get();
    }

    /** A snapshot of the workflows; read each under its lock. */
    List<WorkflowRuntime> all() {
        return List.copyOf(byId.values());
    }

    /**
     * The workflow's status view. Under its lock. A view stays current until the next event, unless a step is running
     * (its duration grows with the clock) or the store's damage report changed: create, start and the termination
     * waiters of a workflow that ran through in one go share one. Held weakly, so finished workflows keep no view.
     */
    WorkflowStatus status(WorkflowRuntime w) {
        WorkflowStatus last = w.lastStatus == null ? null : w.lastStatus.get();
        if (last != null
                && last.lastSequence() == w.lastSequence
                && w.runningSteps == 0
                && Objects.equals(w.lastStatusDamage, w.damage)) {
            return last;
        }
        WorkflowStatus status = StatusViews.status(w, time.now(), options.retryPolicy());
        w.lastStatus = new WeakReference<>(status);
        w.lastStatusDamage = w.damage;
        return status;
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

    /** Stops starting steps; {@code idle} completes once no attempt runs (at once when already closed). */
    synchronized void drain(CompletableFuture<Void> idle) {
        if (closed) {
            idle.complete(null);
            return;
        }
        draining = true;
        idleWaiter = idle;
        slotFreed();
    }

    /** Marks the end of this process's run; false when it had already ended. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /** After a slot was given back: wakes a shutdown waiting for the last attempt. */
    void slotFreed() {
        CompletableFuture<Void> waiter = idleWaiter;
        if (draining && waiter != null && dispatcher.running() == 0) {
            waiter.complete(null);
        }
    }

    // ----------------------------------------------------------------------------------- how workflows stop

    /** Ends the bookkeeping of a step's running attempt; its engine call is cancelled by the caller, outside the lock. */
    Attempt release(WorkflowRuntime w, StepRuntime s) {
        Attempt a = s.current;
        if (a == null) {
            throw new IllegalStateException("workflow " + w.id + ": step '" + s.name() + "' has no running attempt");
        }
        a.finished = true;
        if (a.timeoutTimer != null) {
            a.timeoutTimer.cancel();
        }
        s.current = null;
        dispatcher.released(w);
        slotFreed();
        return a;
    }

    /** {@code stepName} is {@code null} when the workflow itself failed (deadline, budget). */
    void failWorkflow(WorkflowRuntime w, StepError error, @Nullable String stepName) {
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
                afterUnlock(w, () -> a.cancellation.cancel(reason));
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
        if (!w.terminationWaiters.isEmpty() || !w.pauseWaiters.isEmpty()) {
            WorkflowStatus status = status(w);
            List<CompletableFuture<WorkflowStatus>> waiters = new ArrayList<>(w.terminationWaiters);
            waiters.addAll(w.pauseWaiters);
            w.terminationWaiters.clear();
            w.pauseWaiters.clear();
            afterUnlock(w, () -> waiters.forEach(f -> f.complete(status)));
        }
        // Let go once the events that finish the workflow are durable: before, another instance could adopt it and
        // run it again. A store that clears the lease in the transaction of those events has nothing left to release.
        leases.ifPresent(l -> {
            CompletableFuture<Void> recorded = journal.whenEmittedDurable(w);
            afterUnlock(w, () -> recorded.whenComplete((ignored, refused) -> releaseQuietly(l, w.id)));
        });
    }

    void completePauseWaitersIfIdle(WorkflowRuntime w) {
        if (w.state == WorkflowState.PAUSED && w.dispatched == 0 && !w.pauseWaiters.isEmpty()) {
            WorkflowStatus status = status(w);
            List<CompletableFuture<WorkflowStatus>> waiters = new ArrayList<>(w.pauseWaiters);
            w.pauseWaiters.clear();
            afterUnlock(w, () -> waiters.forEach(f -> f.complete(status)));
        }
    }

    /** (Re)arms the workflow's deadline, counted from its start. Under its lock. */
    void scheduleDeadline(WorkflowRuntime w) {
        Optional<Duration> deadline = w.options.deadline();
        if (deadline.isEmpty() || w.startedAt == null) {
            return;
        }
        if (w.deadlineTimer != null) {
            w.deadlineTimer.cancel();
        }
        Duration left = Duration.between(time.now(), w.startedAt.plus(deadline.get()));
        w.deadlineTimer = time.schedule(
                left,
                () -> locked(w, () -> {
                    if (isLive(w) && (w.state == WorkflowState.RUNNING || w.state == WorkflowState.PAUSED)) {
                        failWorkflow(
                                w,
                                StepError.fatal(
                                        StepError.DEADLINE_EXCEEDED,
                                        "the workflow did not finish within its deadline of "
                                                + deadline.get().toMillis() + " ms"),
                                null);
                    }
                    return null;
                }));
    }

    /**
     * Forgets a workflow in this process without recording anything; its running attempts go to {@code toCancel}.
     * Under its lock.
     */
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
        afterUnlock(
                w,
                () -> waiters.forEach(f -> f.completeExceptionally(new IllegalStateException(
                        "workflow " + w.id + " is no longer run by this orchestrator: " + why))));
    }

    /** Takes a workflow out of this process (see {@link #detach}); returns whether it was here. */
    boolean detach(WorkflowId id, List<Attempt> toCancel, String why) {
        WorkflowRuntime w = byId.remove(id);
        if (w == null) {
            return false;
        }
        locked(w, () -> {
            detach(w, toCancel, why);
            return null;
        });
        return true;
    }

    /**
     * The store refused events we already applied: memory is ahead of the store. The copy that emitted them is taken
     * out of this process (its in-flight calls interrupted, nothing more recorded) so no further decision builds on
     * state that was not persisted; the store's version stays the truth for the next owner. With a shared store the
     * copy's lease is let go too, so whoever adopts the workflow next (this instance too) replays it from the store.
     * A copy that is no longer the one this process runs was taken out already: a newer copy adopted since runs under
     * a lease of its own, which this late failure must neither stop nor let go of.
     */
    void storeFailed(Journal.FailedBatch failed) {
        storeAppendFailures.incrementAndGet();
        WorkflowRuntime w = failed.workflow();
        String message = String.valueOf(failed.cause().getMessage());
        LOG.log(System.Logger.Level.ERROR, "store append failed; taking workflow " + w.id + " offline", failed.cause());
        List<Attempt> toCancel = new ArrayList<>();
        boolean taken = claimed(w.id, () -> {
            if (!byId.remove(w.id, w)) {
                return false;
            }
            if (leases.isEmpty()) {
                unavailable.put(w.id, "the store refused its events: " + message);
            }
            locked(w, () -> {
                detach(w, toCancel, "the store refused its events");
                return null;
            });
            leases.ifPresent(l -> releaseQuietly(l, w.id));
            return true;
        });
        toCancel.forEach(a -> a.cancellation.cancel("workflow taken offline after a store failure"));
        if (!taken) {
            LOG.log(System.Logger.Level.DEBUG, "workflow " + w.id + " was already taken out of this process");
        }
    }

    /** Lets go of a lease; if the store cannot be told, this process no longer renews it and it expires. */
    void releaseQuietly(LeaseManager l, WorkflowId id) {
        try {
            l.release(id, options.instanceId());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release the lease of workflow " + id + "; it expires", e);
        }
    }

    /**
     * Runs {@code action} while no other thread changes who runs workflow {@code id} in this process: taking its lease
     * and registering the copy that runs under it, or taking a copy out and letting its lease go, happen one at a time
     * per workflow, so a failure handled late never stops or unleases a copy adopted meanwhile. Striped by id; never
     * taken under a workflow's lock (it is taken before one).
     */
    <T> T claimed(WorkflowId id, Supplier<T> action) {
        ReentrantLock claim = claims[Math.floorMod(id.hashCode(), claims.length)];
        claim.lock();
        try {
            return action.get();
        } finally {
            claim.unlock();
        }
    }
}
