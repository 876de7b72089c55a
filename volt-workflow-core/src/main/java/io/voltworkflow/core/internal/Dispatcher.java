package io.voltworkflow.core.internal;

import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowState;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * The dispatcher, in the style of OkHttp's {@code Dispatcher}: it holds the steps that may run and decides which
 * runs next, but never runs anything itself. Ready steps wait in one queue ordered by the length of their longest
 * remaining path to a sink (critical path first), then by arrival. A step leaves the queue when a global slot is
 * free ({@code maxConcurrentSteps}) and its workflow is under its own bound; a step whose workflow is at its bound
 * is parked with that workflow and moved back only as slots free up. Callers hold the workflow lock.
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

  private void enqueue(WorkflowRuntime w, StepRuntime s) {
    s.queued = true;
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
    return (s.state == StepState.PENDING && s.unfinishedDependencies == 0)
        || (s.state == StepState.RETRY_WAIT && (s.retryAt == null || !s.retryAt.isAfter(now)));
  }

  private int workflowLimit(WorkflowRuntime w) {
    int limit = w.options.maxConcurrentSteps() > 0 ? w.options.maxConcurrentSteps() : Integer.MAX_VALUE;
    return parallelExecution ? limit : 1;
  }

  /**
   * The next step to start, highest priority first, or null when no global slot is free or nothing is ready.
   * {@code live} tells whether a queued step's workflow is still run by this process. A step whose workflow is at
   * its own bound is parked instead of returned.
   */
  Ready next(Instant now, java.util.function.Predicate<WorkflowRuntime> live) {
    while (running < maxRunning && !ready.isEmpty()) {
      Ready next = ready.poll();
      WorkflowRuntime w = next.workflow;
      StepRuntime s = next.step;
      s.queued = false;
      if (!live.test(w) || !isDispatchable(w, s, now)) {
        continue;
      }
      if (w.dispatched >= workflowLimit(w)) {
        s.queued = true;
        w.parked.add(s);
        continue;
      }
      return next;
    }
    return null;
  }

  boolean hasWork() {
    return running < maxRunning && !ready.isEmpty();
  }

  /** Takes a slot for a started attempt. */
  void started(WorkflowRuntime w) {
    w.dispatched++;
    running++;
  }

  /** Gives back the slot of a finished attempt. */
  void released(WorkflowRuntime w) {
    w.dispatched--;
    running--;
  }

  /** Moves back to the ready queue only as many parked steps as the workflow has free slots: no churn. */
  void unpark(WorkflowRuntime w) {
    int free = workflowLimit(w) - w.dispatched;
    while (free-- > 0 && !w.parked.isEmpty()) {
      ready.add(new Ready(w, w.parked.poll(), arrivals++));
    }
  }

  /** Forgets the parked steps of a workflow that stopped. */
  void dropParked(WorkflowRuntime w) {
    w.parked.clear();
  }

  int readyCount() {
    return ready.size();
  }

  int running() {
    return running;
  }
}
