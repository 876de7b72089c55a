package io.voltworkflow.core.internal;

import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowState;
import java.time.Instant;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * The dispatcher, in the style of OkHttp's {@code Dispatcher}: it holds the steps that may run and decides which
 * runs next, but never runs anything itself. Ready steps wait in one queue ordered by the length of their longest
 * remaining path to a sink (critical path first), then by arrival. A step leaves the queue when a global slot is
 * free ({@code maxConcurrentSteps}) and its workflow is under its own bound; a step whose workflow is at its bound
 * is parked with that workflow and moved back only as slots free up.
 *
 * <p>Locking, as in OkHttp: the queue and the global slot count are guarded by the dispatcher's own monitor, held
 * only for a queue operation; a step's and its workflow's fields by the workflow's lock. {@link #reserve} hands out
 * a step together with a global slot; the caller then takes the step's workflow lock and either starts it
 * ({@link #started}), parks it behind its workflow's bound, or gives the slot back ({@link #unreserve}). The
 * dispatcher never takes a workflow lock, so lock order is always workflow, then dispatcher.
 */
final class Dispatcher {
    private final int maxRunning;
    private final boolean parallelExecution;
    private final PriorityQueue<Ready> ready = new PriorityQueue<>(Dispatcher::compare);
    private long arrivals;
    private int running;

    /** A step waiting for a slot; {@code order} breaks ties between equally long paths by arrival. */
    record Ready(WorkflowRuntime workflow, StepRuntime step, long order) {}

    Dispatcher(int maxRunning, boolean parallelExecution) {
        this.maxRunning = maxRunning;
        this.parallelExecution = parallelExecution;
    }

    private static int compare(Ready a, Ready b) {
        int byPath = Integer.compare(b.step.criticalPath, a.step.criticalPath);
        return byPath != 0 ? byPath : Long.compare(a.order, b.order);
    }

    /** Queues every step of the workflow that may run now. */
    void enqueueReady(WorkflowRuntime w, Instant now) {
        for (StepRuntime s : w.steps) {
            if (!s.queued && isDispatchable(w, s, now)) {
                enqueue(w, s);
            }
        }
    }

    /** After a completion only its dependents can have become ready: no scan of the whole workflow. */
    void enqueueReadyDependents(WorkflowRuntime w, StepRuntime completed, Instant now) {
        for (StepRuntime dependent : completed.dependents) {
            if (!dependent.queued && isDispatchable(w, dependent, now)) {
                enqueue(w, dependent);
            }
        }
    }

    /** Queues one step whose backoff ended, if it may still run. */
    void enqueueIfDispatchable(WorkflowRuntime w, StepRuntime s, Instant now) {
        if (!s.queued && isDispatchable(w, s, now)) {
            enqueue(w, s);
        }
    }

    /** Under the workflow's lock. */
    private void enqueue(WorkflowRuntime w, StepRuntime s) {
        s.queued = true;
        offer(w, s);
    }

    private synchronized void offer(WorkflowRuntime w, StepRuntime s) {
        ready.add(new Ready(w, s, arrivals++));
    }

    boolean isDispatchable(WorkflowRuntime w, StepRuntime s, Instant now) {
        if (s.current != null) {
            return false;
        }
        if (s.reissue) {
            return !w.state.isTerminal();
        }
        if (w.state != WorkflowState.RUNNING) {
            return false;
        }
        return (s.state == StepState.PENDING
                        && (s.unfinishedDependencies == 0
                                || (s.definition.type() == StepType.COMPLETION && w.settledWithRejections())))
                || (s.state == StepState.RETRY_WAIT && (s.retryAt == null || !s.retryAt.isAfter(now)));
    }

    int workflowLimit(WorkflowRuntime w) {
        int limit = w.options.maxConcurrentSteps() > 0 ? w.options.maxConcurrentSteps() : Integer.MAX_VALUE;
        return parallelExecution ? limit : 1;
    }

    /**
     * The highest-priority ready step together with a global slot, or null when no slot is free or nothing is ready.
     * The step stays marked queued until the caller, under its workflow's lock, starts, parks or drops it.
     */
    synchronized @Nullable Ready reserve() {
        if (running >= maxRunning || ready.isEmpty()) {
            return null;
        }
        running++;
        return ready.poll();
    }

    /** Like {@link #reserve}, only when the highest-priority ready step is one of {@code w}'s. */
    synchronized @Nullable Ready reserveHeadOf(WorkflowRuntime w) {
        if (running >= maxRunning || ready.isEmpty() || ready.peek().workflow != w) {
            return null;
        }
        running++;
        return ready.poll();
    }

    /** Gives back a reserved slot whose step did not start. */
    synchronized void unreserve() {
        running--;
    }

    synchronized boolean hasWork() {
        return running < maxRunning && !ready.isEmpty();
    }

    /** A reserved slot became a started attempt. Under the workflow's lock. */
    void started(WorkflowRuntime w) {
        w.dispatched++;
    }

    /** Gives back the slot of a finished attempt. Under the workflow's lock. */
    void released(WorkflowRuntime w) {
        w.dispatched--;
        synchronized (this) {
            running--;
        }
    }

    /** Parks a step whose workflow is at its own bound and gives back its slot. Under the workflow's lock. */
    void park(WorkflowRuntime w, StepRuntime s) {
        s.queued = true;
        w.parked.add(s);
        unreserve();
    }

    /** Moves back to the ready queue only as many parked steps as the workflow has free slots: no churn. */
    void unpark(WorkflowRuntime w) {
        int free = workflowLimit(w) - w.dispatched;
        while (free-- > 0 && !w.parked.isEmpty()) {
            offer(w, w.parked.poll());
        }
    }

    /** Forgets the parked steps of a workflow that stopped. Under the workflow's lock. */
    void dropParked(WorkflowRuntime w) {
        for (StepRuntime s : w.parked) {
            s.queued = false;
        }
        w.parked.clear();
    }

    synchronized int readyCount() {
        return ready.size();
    }

    synchronized int running() {
        return running;
    }
}
