package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.DuplicateWorkflowException;
import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.event.WorkflowEvent.StepCancelled;
import io.voltworkflow.core.event.WorkflowEvent.StepCompleted;
import io.voltworkflow.core.event.WorkflowEvent.StepFailed;
import io.voltworkflow.core.event.WorkflowEvent.StepRetrying;
import io.voltworkflow.core.event.WorkflowEvent.StepStarted;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowProblem;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.model.WorkflowValidator;
import io.voltworkflow.core.plan.StandardPlan;
import io.voltworkflow.core.status.WorkflowAnalytics;
import io.voltworkflow.core.status.WorkflowMetrics;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The orchestrator. One lock guards every workflow's state (OkHttp-dispatcher style): decisions, events and
 * queue moves happen under it; engine calls, cancellation hooks and future completions run after it is released.
 * Every change is an event folded into {@link WorkflowRuntime} and appended to the store in the same critical
 * section, so the store's order is the order of decisions; subscribers see an event only once it is durable.
 */
public final class DefaultWorkflowOrchestrator implements WorkflowOrchestrator {
  private static final System.Logger LOG = System.getLogger(DefaultWorkflowOrchestrator.class.getName());
  private static final ThreadLocal<ArrayDeque<Runnable>> TRAMPOLINE = new ThreadLocal<>();
  private static final int MAX_PROGRESS_LENGTH = 500;
  private static final int MAX_PROVENANCE_ENTRIES = 64;
  private static final int MAX_EVENTS_PAGE = 10_000;

  private final OrchestratorOptions options;
  private final WorkflowStore store;
  private final TimeSource time;
  private final StepRunner runner;
  private final EventBus bus;
  private final Analytics analytics = new Analytics();
  private final Optional<LeaseManager> leases;
  private final ExecutorService blocking;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<WorkflowId, WorkflowRuntime> workflows = new LinkedHashMap<>();
  private final Map<WorkflowId, String> unavailable = new HashMap<>();
  private final PriorityQueue<Ready> ready = new PriorityQueue<>(
      Comparator.comparingInt((Ready r) -> -r.step.criticalPath).thenComparingLong(r -> r.order));
  private final List<EventRecord> pendingRecords = new ArrayList<>();
  private final List<Runnable> afterUnlock = new ArrayList<>();
  private final ArrayDeque<PendingPublish> publishQueue = new ArrayDeque<>();
  private long readyOrder;
  private int running;
  private boolean draining;
  private boolean closed;
  private final List<TimeSource.Timer> maintenanceTimers = new ArrayList<>();

  private record Ready(WorkflowRuntime workflow, StepRuntime step, long order) {}

  private record PendingPublish(List<EventRecord> records, CompletableFuture<Void> durable) {}

  private DefaultWorkflowOrchestrator(OrchestratorOptions options) {
    this.options = options;
    this.store = options.store();
    this.time = options.timeSource();
    this.runner = new StepRunner(options.engines());
    this.bus = new EventBus(options.eventQueueSize(), options.eventBatchSize(), options.eventSystemEnabled(), store);
    this.leases = store.leases();
    AtomicInteger count = new AtomicInteger();
    this.blocking = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "volt-engine-io-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  public static WorkflowOrchestrator open(OrchestratorOptions options) {
    DefaultWorkflowOrchestrator orchestrator = new DefaultWorkflowOrchestrator(options);
    orchestrator.recoverAll();
    orchestrator.startMaintenance();
    return orchestrator;
  }

  // ---------------------------------------------------------------------------------------------- lifecycle API

  @Override
  public WorkflowStatus createWorkflow(String requirementText, Map<String, ?> projectContext, WorkflowOptions workflowOptions) {
    JsonNode context;
    try {
      context = WorkflowJson.toTree(projectContext == null ? Map.of() : projectContext);
    } catch (IllegalArgumentException e) {
      throw new InvalidWorkflowException(List.of(new WorkflowProblem(WorkflowProblem.INVALID_INPUT, null,
          "projectContext: " + e.getMessage())));
    }
    return createWorkflow(StandardPlan.definition(requirementText, context, workflowOptions));
  }

  @Override
  public WorkflowStatus createWorkflow(WorkflowDefinition definition) {
    WorkflowValidator.validate(definition);
    WorkflowId id = definition.options().workflowId().orElseGet(options.idGenerator());
    // Outside the lock: a shared store's lease is a database round trip.
    if (leases.isPresent() && !leases.get().tryAcquire(id, options.instanceId(), options.leaseTtl())) {
      throw new DuplicateWorkflowException(id);
    }
    return durably(() -> {
      ensureOpen();
      WorkflowRuntime existing = workflows.get(id);
      if (existing != null) {
        if (existing.requirement.equals(definition.requirementText())) {
          return existing;
        }
        throw new DuplicateWorkflowException(id);
      }
      WorkflowRuntime w = new WorkflowRuntime(id, options.maxHistoryEntries());
      workflows.put(id, w);
      emit(w, new WorkflowEvent.WorkflowCreated(definition));
      emit(w, new WorkflowEvent.WorkflowInitialized("definition validated: " + definition.steps().size() + " steps"));
      return w;
    });
  }

  @Override
  public WorkflowStatus startWorkflow(WorkflowId id) {
    return durably(() -> {
      WorkflowRuntime w = workflow(id);
      requireState(w, WorkflowState.RUNNING, "start", WorkflowState.INITIALIZED);
      emit(w, new WorkflowEvent.WorkflowStarted("started"));
      scheduleDeadline(w);
      enqueueReady(w);
      return w;
    });
  }

  @Override
  public WorkflowStatus getWorkflowStatus(WorkflowId id) {
    return locked(() -> status(workflow(id)));
  }

  @Override
  public List<WorkflowStatus> listWorkflows(WorkflowQuery query) {
    return locked(() -> {
      return workflows.values().stream()
          .filter(w -> query.states().isEmpty() || query.states().contains(w.state))
          .filter(w -> query.labelKey() == null
              || (query.labelValue() == null
                  ? w.options.labels().containsKey(query.labelKey())
                  : query.labelValue().equals(w.options.labels().get(query.labelKey()))))
          .sorted(Comparator.comparing((WorkflowRuntime w) -> w.createdAt).reversed()
              .thenComparing(w -> w.id.value()))
          .skip(query.offset())
          .limit(query.limit())
          .map(this::status)
          .toList();
    });
  }

  @Override
  public CompletableFuture<WorkflowStatus> pauseWorkflow(WorkflowId id) {
    CompletableFuture<WorkflowStatus> paused = new CompletableFuture<>();
    durably(() -> {
      WorkflowRuntime w = workflow(id);
      if (w.state != WorkflowState.PAUSED) {
        requireState(w, WorkflowState.PAUSED, "pause", WorkflowState.RUNNING);
        emit(w, new WorkflowEvent.WorkflowPaused("pause requested"));
      }
      w.pauseWaiters.add(paused);
      completePauseWaitersIfIdle(w);
      return w;
    });
    return paused;
  }

  @Override
  public WorkflowStatus resumeWorkflow(WorkflowId id) {
    // A failed workflow gave up its lease; take it back (outside the lock: a database round trip) before resuming.
    if (leases.isPresent() && !leases.get().tryAcquire(id, options.instanceId(), options.leaseTtl())) {
      throw new IllegalStateException("workflow " + id + " is run by another instance");
    }
    return durably(() -> {
      WorkflowRuntime w = workflow(id);
      requireState(w, WorkflowState.RUNNING, "resume", WorkflowState.PAUSED, WorkflowState.FAILED);
      if (w.state == WorkflowState.FAILED) {
        List<String> rerun = w.steps.stream()
            .filter(s -> s.state == StepState.FAILED || s.state == StepState.CANCELLED)
            .map(StepRuntime::name)
            .toList();
        emit(w, new WorkflowEvent.WorkflowResumed("resumed after failure: re-running " + rerun.size() + " steps", rerun));
        scheduleDeadline(w);
      } else {
        emit(w, new WorkflowEvent.WorkflowResumed("resumed", List.of()));
      }
      enqueueReady(w);
      return w;
    });
  }

  @Override
  public WorkflowStatus cancelWorkflow(WorkflowId id, String reason) {
    String why = reason == null || reason.isBlank() ? "cancelled by user" : truncate(reason, MAX_PROGRESS_LENGTH);
    return durably(() -> {
      WorkflowRuntime w = workflow(id);
      if (w.state.isFinal()) {
        throw new IllegalTransitionException(id, w.state, WorkflowState.CANCELLED, "cancel");
      }
      stopSteps(w, why);
      emit(w, new WorkflowEvent.WorkflowCancelled(why));
      finished(w);
      return w;
    });
  }

  @Override
  public CompletableFuture<WorkflowStatus> awaitTermination(WorkflowId id) {
    return locked(() -> {
      WorkflowRuntime w = workflow(id);
      CompletableFuture<WorkflowStatus> done = new CompletableFuture<>();
      if (w.state.isTerminal()) {
        done.complete(status(w));
      } else {
        w.terminationWaiters.add(done);
      }
      return done;
    });
  }

  @Override
  public WorkflowAnalytics getWorkflowAnalytics() {
    if (!options.analyticsEnabled()) {
      throw new IllegalStateException("analytics are disabled (WORKFLOW_ANALYTICS_ENABLED=false)");
    }
    return locked(() -> {
      long completed = 0, failed = 0, cancelled = 0, active = 0, duration = 0, withDuration = 0, retries = 0;
      for (WorkflowRuntime w : workflows.values()) {
        switch (w.state) {
          case COMPLETED -> completed++;
          case FAILED -> failed++;
          case CANCELLED -> cancelled++;
          default -> active++;
        }
        if (w.state.isTerminal() && w.startedAt != null && w.finishedAt != null) {
          duration += Duration.between(w.startedAt, w.finishedAt).toMillis();
          withDuration++;
        }
        retries += w.retries;
      }
      return analytics.snapshot(new Analytics.WorkflowCounts(
          workflows.size(), completed, failed, cancelled, active, duration, withDuration, retries));
    });
  }

  @Override
  public WorkflowMetrics getWorkflowMetrics(WorkflowId id) {
    if (!options.metricsEnabled()) {
      throw new IllegalStateException("metrics are disabled (WORKFLOW_METRICS_ENABLED=false)");
    }
    return locked(() -> StatusViews.metrics(workflow(id), time.now()));
  }

  @Override
  public Subscription on(EventType type, EventListener listener) {
    return bus.subscribe(record -> record.type() == type, listener);
  }

  @Override
  public Subscription onAny(EventListener listener) {
    return bus.subscribe(record -> true, listener);
  }

  @Override
  public Subscription subscribe(WorkflowId id, long afterSequence, EventListener listener) {
    locked(() -> workflow(id));
    if (afterSequence < 0) {
      throw new IllegalArgumentException("afterSequence must not be negative, was " + afterSequence);
    }
    return bus.subscribe(id, afterSequence, listener);
  }

  @Override
  public Optional<String> storeUnavailability() {
    return store.unavailability();
  }

  @Override
  public List<EventRecord> events(WorkflowId id, long afterSequence, int limit) {
    if (afterSequence < 0) {
      throw new IllegalArgumentException("afterSequence must not be negative, was " + afterSequence);
    }
    if (limit < 1 || limit > MAX_EVENTS_PAGE) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_EVENTS_PAGE + ", was " + limit);
    }
    locked(() -> workflow(id));
    return store.read(id, afterSequence, limit);
  }

  @Override
  public io.voltworkflow.core.status.DispatchStats dispatchStats() {
    int[] counts = locked(() -> new int[] {ready.size(), running});
    return new io.voltworkflow.core.status.DispatchStats(counts[0], counts[1], bus.queuedEvents());
  }

  @Override
  public void shutdown(Duration grace) {
    List<Attempt> inFlight = new ArrayList<>();
    CompletableFuture<Void> idle = new CompletableFuture<>();
    locked(() -> {
      if (closed) {
        idle.complete(null);
        return null;
      }
      draining = true;
      maintenanceTimers.forEach(TimeSource.Timer::cancel);
      if (running == 0) {
        idle.complete(null);
      } else {
        idleWaiter = idle;
      }
      return null;
    });
    if (!grace.isZero() && !grace.isNegative()) {
      try {
        idle.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.log(System.Logger.Level.INFO, "shutdown: steps still running after " + grace + " are re-issued on reopen");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    CompletableFuture<Void> flushed = locked(() -> {
      if (closed) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      closed = true;
      for (WorkflowRuntime w : workflows.values()) {
        detach(w, inFlight, "the orchestrator shut down");
      }
      return lastAppend;
    });
    for (Attempt attempt : inFlight) {
      attempt.cancellation.cancel("orchestrator shut down; the step is re-issued when the store is opened again");
    }
    try {
      flushed.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, "shutdown: the store did not confirm the last events", e);
    }
    bus.close();
    blocking.shutdownNow();
    store.close();
    if (time instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the time source failed", e);
      }
    }
  }

  private CompletableFuture<Void> idleWaiter;
  private CompletableFuture<Void> lastAppend = CompletableFuture.completedFuture(null);

  // ------------------------------------------------------------------------------------------- critical sections

  /** Runs {@code action} under the lock, commits its events, then runs the deferred work after unlocking. */
  private <T> T locked(Supplier<T> action) {
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
      dispatch();
      commit();
      deferred = takeDeferred();
    } finally {
      lock.unlock();
    }
    runDeferred(deferred);
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** Like {@link #locked}, and waits until the events are durable; returns the workflow's status then. */
  private WorkflowStatus durably(Supplier<WorkflowRuntime> action) {
    CompletableFuture<Void>[] durable = new CompletableFuture[1];
    WorkflowRuntime w = locked(() -> {
      WorkflowRuntime result = action.get();
      commit();
      durable[0] = lastAppend;
      return result;
    });
    try {
      durable[0].join();
    } catch (CompletionException e) {
      throw new io.voltworkflow.core.store.StoreException("the store could not record the change to workflow "
          + w.id + ": " + e.getCause().getMessage(), e.getCause());
    }
    return locked(() -> status(w));
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

  /** Appends the events of this critical section to the store, in order; publishes them once durable. */
  private void commit() {
    if (pendingRecords.isEmpty()) {
      return;
    }
    List<EventRecord> records = List.copyOf(pendingRecords);
    pendingRecords.clear();
    CompletableFuture<Void> durable;
    try {
      durable = store.append(records);
    } catch (RuntimeException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    lastAppend = durable;
    PendingPublish pending = new PendingPublish(records, durable);
    synchronized (publishQueue) {
      publishQueue.add(pending);
    }
    durable.whenComplete((ignored, error) -> drainPublishQueue());
  }

  /** Publishes durable batches strictly in append order, whatever order the store confirms them in. */
  private void drainPublishQueue() {
    synchronized (publishQueue) {
      while (!publishQueue.isEmpty() && publishQueue.peek().durable.isDone()) {
        PendingPublish head = publishQueue.poll();
        if (head.durable.isCompletedExceptionally()) {
          // Not inline: this may run inside a critical section, and taking workflows offline needs its own.
          blocking.execute(() -> storeFailed(head));
        } else {
          bus.publish(head.records);
        }
      }
    }
  }

  /**
   * The store refused events we already applied: memory is ahead of the store. The affected workflows are taken
   * out of this process (their in-flight calls interrupted, nothing more recorded) so no further decision builds on
   * state that was not persisted; the store's version stays the truth for the next owner.
   */
  private void storeFailed(PendingPublish failed) {
    Throwable cause = failed.durable.handle((v, e) -> e).join();
    Map<WorkflowId, String> affected = new LinkedHashMap<>();
    for (EventRecord record : failed.records) {
      affected.put(record.workflowId(), String.valueOf(cause.getMessage()));
    }
    LOG.log(System.Logger.Level.ERROR, "store append failed; taking workflows " + affected.keySet() + " offline", cause);
    List<Attempt> toCancel = new ArrayList<>();
    locked(() -> {
      affected.forEach((id, message) -> {
        WorkflowRuntime w = workflows.remove(id);
        unavailable.put(id, "the store refused its events: " + message);
        if (w != null) {
          detach(w, toCancel, "the store refused its events");
        }
      });
      return null;
    });
    toCancel.forEach(a -> a.cancellation.cancel("workflow taken offline after a store failure"));
  }

  /** Forgets a workflow in this process without recording anything; its running attempts go to {@code toCancel}. */
  private void detach(WorkflowRuntime w, List<Attempt> toCancel, String why) {
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

  /** Ends the bookkeeping of a step's running attempt; its engine call is cancelled by the caller, outside the lock. */
  private Attempt release(WorkflowRuntime w, StepRuntime s) {
    Attempt a = s.current;
    a.finished = true;
    if (a.timeoutTimer != null) {
      a.timeoutTimer.cancel();
    }
    s.current = null;
    w.dispatched--;
    running--;
    return a;
  }

  private void emit(WorkflowRuntime w, WorkflowEvent event) {
    EventRecord record = new EventRecord(w.id, w.lastSequence + 1, time.now(), event);
    w.apply(record);
    observe(w, record);
    pendingRecords.add(record);
  }

  /** Analytics from events: the same for live runs and replays. */
  private void observe(WorkflowRuntime w, EventRecord record) {
    WorkflowEvent event = record.event();
    if (event instanceof StepCompleted e) {
      analytics.attemptFinished(w.step(e.step()).definition.type().id(), true, e.durationMs());
    } else if (event instanceof StepRetrying e) {
      analytics.attemptFinished(w.step(e.step()).definition.type().id(), false, e.durationMs());
    } else if (event instanceof StepFailed e) {
      analytics.attemptFinished(w.step(e.step()).definition.type().id(), false, e.durationMs());
    }
  }

  private WorkflowStatus status(WorkflowRuntime w) {
    return StatusViews.status(w, time.now(), options.retryPolicy());
  }

  private WorkflowRuntime workflow(WorkflowId id) {
    WorkflowRuntime w = workflows.get(id);
    if (w == null) {
      String why = unavailable.get(id);
      if (why != null) {
        throw new io.voltworkflow.core.store.StoreException("workflow " + id + " is unavailable: " + why);
      }
      throw new WorkflowNotFoundException(id);
    }
    return w;
  }

  private void ensureOpen() {
    if (closed || draining) {
      throw new IllegalStateException("the orchestrator is shut down");
    }
  }

  private static void requireState(WorkflowRuntime w, WorkflowState target, String action, WorkflowState... allowed) {
    for (WorkflowState state : allowed) {
      if (w.state == state) {
        return;
      }
    }
    throw new IllegalTransitionException(w.id, w.state, target, action);
  }

  // -------------------------------------------------------------------------------------------------- dispatching

  private void enqueueReady(WorkflowRuntime w) {
    Instant now = time.now();
    for (StepRuntime s : w.steps) {
      if (!s.queued && isDispatchable(w, s, now)) {
        enqueue(w, s);
      }
    }
  }

  /** After a completion only its dependents can have become ready: no scan of the whole workflow. */
  private void enqueueReadyDependents(WorkflowRuntime w, StepRuntime completed, Instant now) {
    for (StepRuntime dependent : completed.dependents) {
      if (!dependent.queued && isDispatchable(w, dependent, now)) {
        enqueue(w, dependent);
      }
    }
  }

  private void enqueue(WorkflowRuntime w, StepRuntime s) {
    s.queued = true;
    ready.add(new Ready(w, s, readyOrder++));
  }

  private boolean isDispatchable(WorkflowRuntime w, StepRuntime s, Instant now) {
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
    return options.parallelExecution() ? limit : 1;
  }

  /** Starts ready steps while slots are free: longest remaining critical path first. */
  private void dispatch() {
    if (closed || draining) {
      return;
    }
    Instant now = null;
    while (running < options.maxConcurrentSteps() && !ready.isEmpty()) {
      Ready next = ready.poll();
      WorkflowRuntime w = next.workflow;
      StepRuntime s = next.step;
      s.queued = false;
      if (now == null) {
        now = time.now();
      }
      if (workflows.get(w.id) != w || !isDispatchable(w, s, now)) {
        continue;
      }
      if (w.dispatched >= workflowLimit(w)) {
        s.queued = true;
        w.parked.add(s);
        continue;
      }
      if (w.options.budget().isExhaustedBy(w.usage) && !s.reissue) {
        failWorkflow(w, StepError.recoverable(StepError.BUDGET_EXHAUSTED, "the workflow's budget is spent (used "
            + w.usage.totalTokens() + " tokens, $" + String.format("%.4f", w.usage.costUsd()) + ")"), null);
        continue;
      }
      startAttempt(w, s, now);
    }
  }

  private void startAttempt(WorkflowRuntime w, StepRuntime s, Instant now) {
    int number = s.reissue ? Math.max(1, s.attempts) : s.attempts + 1;
    boolean reissued = s.reissue;
    s.reissue = false;
    Duration timeout = s.definition.timeout() != null ? s.definition.timeout() : options.stepTimeout();
    emit(w, new StepStarted(s.name(), number, s.idempotencyKey, reissued));
    Attempt attempt = new Attempt(w, s, number, now, now.plus(timeout));
    s.current = attempt;
    w.dispatched++;
    running++;
    attempt.timeoutTimer = time.schedule(timeout, () -> onTimeout(attempt, timeout));
    StepInputs inputs = inputs(w, s);
    AttemptContext context = new AttemptContext(attempt, inputs, Optional.ofNullable(s.checkpoint));
    afterUnlock.add(() -> invoke(attempt, inputs, context));
  }

  private StepInputs inputs(WorkflowRuntime w, StepRuntime s) {
    Map<String, JsonNode> outputs = new LinkedHashMap<>();
    Map<String, StepType> types = new HashMap<>();
    Map<String, String> taskIds = new HashMap<>();
    List<String> order = new ArrayList<>();
    boolean everything = s.definition.type() == StepType.COMPLETION;
    for (String dep : s.definition.dependencies()) {
      StepRuntime d = w.step(dep);
      if (d.state == StepState.COMPLETED) {
        outputs.put(dep, d.output);
        types.put(dep, d.definition.type());
      }
    }
    for (StepRuntime other : everything ? w.steps : w.analysisSteps) {
      if (other.state == StepState.COMPLETED) {
        outputs.put(other.name(), other.output);
        types.put(other.name(), other.definition.type());
        order.add(other.name());
        JsonNode taskId = other.definition.input().path(StandardPlan.TASK_FIELD).path("id");
        if (taskId.isTextual()) {
          taskIds.put(other.name(), taskId.asText());
        }
      }
    }
    return new StepInputs(w.requirement, w.projectContext, s.definition, outputs, types, order, taskIds);
  }

  private void invoke(Attempt attempt, StepInputs inputs, AttemptContext context) {
    CompletionStage<JsonNode> stage;
    try {
      stage = runner.run(inputs, context);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedStage(e);
    }
    stage.whenComplete((output, error) -> onAttemptDone(attempt, output, error));
  }

  private void onTimeout(Attempt attempt, Duration timeout) {
    locked(() -> {
      if (!attempt.finished) {
        finishAttempt(attempt, null, StepError.retryable(StepError.TIMEOUT,
            "step '" + attempt.step.name() + "' did not finish within " + timeout.toMillis() + " ms"));
      }
      return null;
    });
  }

  private void onAttemptDone(Attempt attempt, JsonNode output, Throwable error) {
    locked(() -> {
      if (!attempt.finished && !closed) {
        finishAttempt(attempt, output, error == null ? null : classify(error, attempt));
      }
      return null;
    });
  }

  private static StepError classify(Throwable error, Attempt attempt) {
    EngineException engine = StepRunner.unwrapEngineException(error);
    if (engine != null) {
      return engine.error();
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof CancellationException) {
      return StepError.recoverable(StepError.CANCELLED, "the engine call was cancelled");
    }
    return StepError.recoverable(StepError.ENGINE_ERROR, "step '" + attempt.step.name() + "' failed unexpectedly: "
        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
  }

  /** Records an attempt's outcome: completion (and growth), retry, or failure of the workflow. */
  private void finishAttempt(Attempt attempt, JsonNode output, StepError error) {
    WorkflowRuntime w = attempt.workflow;
    StepRuntime s = attempt.step;
    release(w, s);
    unpark(w);
    Instant now = time.now();
    long durationMs = attempt.elapsedMs(now);
    if (error == null && (output == null || !output.isObject())) {
      error = StepError.retryable(StepError.INVALID_RESPONSE, "step '" + s.name() + "' produced no JSON object");
    }
    StandardPlan.Expansion expansion = null;
    if (error == null && s.definition.type() == StepType.TASK_CREATION) {
      try {
        expansion = StandardPlan.expand(s.name(), StepRunner.planOf(output), w.definitions());
      } catch (StandardPlan.InvalidTaskPlanException e) {
        error = e.toStepError();
      } catch (EngineException e) {
        error = e.error();
      }
    }
    if (error != null) {
      afterUnlock.add(() -> attempt.cancellation.cancel("attempt failed"));
      failAttempt(w, s, attempt, error, durationMs, now);
    } else {
      emit(w, new StepCompleted(s.name(), attempt.number, durationMs, output, attempt.usage, attempt.provenance));
      if (expansion != null) {
        emit(w, new WorkflowEvent.WorkflowExpanded(s.name(), expansion.addedSteps(), expansion.addedDependencies()));
      }
      if (options.realTimeUpdates()) {
        emit(w, new WorkflowEvent.WorkflowProgress(w.completedSteps, w.steps.size(), s.name() + " completed"));
      }
      if (w.allStepsCompleted()) {
        emit(w, new WorkflowEvent.WorkflowCompleted(result(w)));
        finished(w);
      } else if (expansion != null) {
        enqueueReady(w);
      } else {
        enqueueReadyDependents(w, s, now);
      }
    }
    completePauseWaitersIfIdle(w);
    if (draining && running == 0 && idleWaiter != null) {
      CompletableFuture<Void> waiter = idleWaiter;
      afterUnlock.add(() -> waiter.complete(null));
    }
  }

  private void failAttempt(WorkflowRuntime w, StepRuntime s, Attempt attempt, StepError error, long durationMs, Instant now) {
    RetryPolicy policy = s.definition.retryPolicy() != null ? s.definition.retryPolicy() : options.retryPolicy();
    boolean live = w.state == WorkflowState.RUNNING || w.state == WorkflowState.PAUSED;
    if (live && policy.shouldRetry(attempt.number, error)) {
      Duration delay = policy.delayAfter(attempt.number, error, options.random().getAsDouble());
      Instant retryAt = now.plus(delay);
      emit(w, new StepRetrying(s.name(), attempt.number, durationMs, error, delay.toMillis(), retryAt, attempt.usage));
      scheduleRetry(w, s, delay);
    } else {
      emit(w, new StepFailed(s.name(), attempt.number, durationMs, error, attempt.usage));
      if (live) {
        failWorkflow(w, error, s.name());
      }
    }
  }

  private void scheduleRetry(WorkflowRuntime w, StepRuntime s, Duration delay) {
    if (s.retryTimer != null) {
      s.retryTimer.cancel();
    }
    s.retryTimer = time.schedule(delay, () -> locked(() -> {
      s.retryTimer = null;
      if (workflows.get(w.id) == w && !s.queued && isDispatchable(w, s, time.now())) {
        enqueue(w, s);
      }
      return null;
    }));
  }

  private void failWorkflow(WorkflowRuntime w, StepError error, String stepName) {
    stopSteps(w, "workflow failed" + (stepName == null ? ": " + error.code() : ": step '" + stepName + "' failed"));
    emit(w, new WorkflowEvent.WorkflowFailed(error, stepName));
    finished(w);
  }

  /** Cancels running attempts and pending retries of a workflow, recording each step as cancelled. */
  private void stopSteps(WorkflowRuntime w, String reason) {
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
        emit(w, new StepCancelled(s.name(), reason));
      }
      s.reissue = false;
    }
    w.parked.clear();
  }

  /** Moves back to the ready queue only as many parked steps as the workflow has free slots: no churn. */
  private void unpark(WorkflowRuntime w) {
    int free = workflowLimit(w) - w.dispatched;
    while (free-- > 0 && !w.parked.isEmpty()) {
      ready.add(new Ready(w, w.parked.poll(), readyOrder++));
    }
  }

  /** A workflow reached completed, failed or cancelled: wake waiters, stop its timers, free its lease. */
  private void finished(WorkflowRuntime w) {
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

  private void completePauseWaitersIfIdle(WorkflowRuntime w) {
    if (w.state == WorkflowState.PAUSED && w.dispatched == 0 && !w.pauseWaiters.isEmpty()) {
      WorkflowStatus status = status(w);
      List<CompletableFuture<WorkflowStatus>> waiters = new ArrayList<>(w.pauseWaiters);
      w.pauseWaiters.clear();
      afterUnlock.add(() -> waiters.forEach(f -> f.complete(status)));
    }
  }

  private void scheduleDeadline(WorkflowRuntime w) {
    Optional<Duration> deadline = w.options.deadline();
    if (deadline.isEmpty() || w.startedAt == null) {
      return;
    }
    if (w.deadlineTimer != null) {
      w.deadlineTimer.cancel();
    }
    Duration left = Duration.between(time.now(), w.startedAt.plus(deadline.get()));
    w.deadlineTimer = time.schedule(left, () -> locked(() -> {
      if (workflows.get(w.id) == w && (w.state == WorkflowState.RUNNING || w.state == WorkflowState.PAUSED)) {
        failWorkflow(w, StepError.fatal(StepError.DEADLINE_EXCEEDED,
            "the workflow did not finish within its deadline of " + deadline.get().toMillis() + " ms"), null);
      }
      return null;
    }));
  }

  /** The completion step's output, or the outputs of the sink steps of a custom DAG. */
  private static JsonNode result(WorkflowRuntime w) {
    StepRuntime completion = null;
    for (StepRuntime s : w.steps) {
      if (s.definition.type() == StepType.COMPLETION) {
        completion = s;
      }
    }
    if (completion != null) {
      return completion.output;
    }
    ObjectNode sinks = WorkflowJson.mapper().createObjectNode();
    for (StepRuntime s : w.steps) {
      if (s.dependents.isEmpty()) {
        sinks.set(s.name(), s.output);
      }
    }
    return sinks;
  }

  // ------------------------------------------------------------------------------------------------- recovery

  /** Rebuilds every workflow from the store and puts unfinished work back in motion. */
  private void recoverAll() {
    Map<WorkflowId, WorkflowRuntime> replayed = replay(visitor -> store.replay(visitor));
    locked(() -> {
      for (WorkflowRuntime w : replayed.values()) {
        if (!w.state.isTerminal() && leases.isPresent()
            && !leases.get().tryAcquire(w.id, options.instanceId(), options.leaseTtl())) {
          continue;
        }
        workflows.put(w.id, w);
        resumeAfterRestart(w);
      }
      return null;
    });
  }

  private Map<WorkflowId, WorkflowRuntime> replay(java.util.function.Consumer<WorkflowStore.ReplayVisitor> source) {
    Map<WorkflowId, WorkflowRuntime> replayed = new LinkedHashMap<>();
    lock.lock();
    try {
      source.accept(new WorkflowStore.ReplayVisitor() {
        @Override
        public void snapshot(WorkflowSnapshot snapshot) {
          replayed.put(snapshot.workflowId(), SnapshotCodec.decode(snapshot, options.maxHistoryEntries()));
        }

        @Override
        public void event(EventRecord record) {
          WorkflowRuntime w = replayed.computeIfAbsent(
              record.workflowId(), id -> new WorkflowRuntime(id, options.maxHistoryEntries()));
          w.apply(record);
          observe(w, record);
        }
      });
    } finally {
      lock.unlock();
    }
    return replayed;
  }

  private void resumeAfterRestart(WorkflowRuntime w) {
    if (w.state == WorkflowState.CREATED) {
      emit(w, new WorkflowEvent.WorkflowInitialized("initialized on recovery"));
    }
    if (w.state == WorkflowState.RUNNING || w.state == WorkflowState.PAUSED) {
      Instant now = time.now();
      for (StepRuntime s : w.steps) {
        if (s.state == StepState.RUNNING) {
          s.reissue = true;
        } else if (s.state == StepState.RETRY_WAIT && s.retryAt != null && s.retryAt.isAfter(now)) {
          scheduleRetry(w, s, Duration.between(now, s.retryAt));
        }
      }
      scheduleDeadline(w);
      enqueueReady(w);
    }
  }

  private void startMaintenance() {
    if (options.snapshotsEnabled()) {
      scheduleRepeating(options.snapshotInterval(), this::snapshotAndCompact);
    }
    leases.ifPresent(l -> {
      Duration period = options.leaseTtl().dividedBy(3);
      scheduleRepeating(period, () -> maintainLeases(l));
    });
  }

  private void scheduleRepeating(Duration period, Runnable task) {
    lock.lock();
    try {
      if (closed || draining) {
        return;
      }
      maintenanceTimers.add(time.schedule(period, () -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "periodic maintenance failed", e);
        }
        scheduleRepeating(period, task);
      }));
    } finally {
      lock.unlock();
    }
  }

  /** Snapshots workflows with new events, then lets the store drop events past retention. */
  void snapshotAndCompact() {
    List<WorkflowSnapshot> snapshots = locked(() -> {
      Instant now = time.now();
      List<WorkflowSnapshot> taken = new ArrayList<>();
      for (WorkflowRuntime w : workflows.values()) {
        if (w.lastSequence > w.snapshotSequence) {
          taken.add(SnapshotCodec.encode(w, now));
          w.snapshotSequence = w.lastSequence;
        }
      }
      return taken;
    });
    for (WorkflowSnapshot snapshot : snapshots) {
      store.saveSnapshot(snapshot).join();
    }
    store.compact(time.now().minus(options.eventRetention()));
  }

  private void maintainLeases(LeaseManager l) {
    List<WorkflowId> lost = l.renewAll(options.instanceId(), options.leaseTtl());
    if (!lost.isEmpty()) {
      List<Attempt> toCancel = new ArrayList<>();
      locked(() -> {
        for (WorkflowId id : lost) {
          WorkflowRuntime w = workflows.remove(id);
          if (w != null && !w.state.isTerminal()) {
            detach(w, toCancel, "its lease passed to another instance");
          }
        }
        return null;
      });
      toCancel.forEach(a -> a.cancellation.cancel("lease lost to another instance"));
    }
    for (WorkflowId id : l.orphaned(100)) {
      // A terminal copy in memory may be stale: another instance may have resumed the workflow since.
      boolean running = locked(() -> workflows.containsKey(id) && !workflows.get(id).state.isTerminal());
      if (running || !l.tryAcquire(id, options.instanceId(), options.leaseTtl())) {
        continue;
      }
      Map<WorkflowId, WorkflowRuntime> replayed = replay(visitor -> store.replay(id, visitor));
      WorkflowRuntime w = replayed.get(id);
      if (w != null) {
        locked(() -> {
          workflows.put(id, w);
          unavailable.remove(id);
          resumeAfterRestart(w);
          return null;
        });
      }
    }
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  // ----------------------------------------------------------------------------------------- engine context

  /** The engine's view of one attempt; every call checks the attempt is still the step's current one. */
  private final class AttemptContext implements io.voltworkflow.core.engine.EngineContext {
    private final Attempt attempt;
    private final StepInputs inputs;
    private final Optional<JsonNode> checkpoint;

    AttemptContext(Attempt attempt, StepInputs inputs, Optional<JsonNode> checkpoint) {
      this.attempt = attempt;
      this.inputs = inputs;
      this.checkpoint = checkpoint;
    }

    @Override
    public WorkflowId workflowId() {
      return attempt.workflow.id;
    }

    @Override
    public String stepName() {
      return attempt.step.name();
    }

    @Override
    public StepType stepType() {
      return inputs.definition().type();
    }

    @Override
    public String idempotencyKey() {
      return attempt.step.idempotencyKey;
    }

    @Override
    public int attempt() {
      return attempt.number;
    }

    @Override
    public Instant attemptDeadline() {
      return attempt.deadline;
    }

    @Override
    public JsonNode projectContext() {
      return inputs.projectContext();
    }

    @Override
    public io.voltworkflow.core.engine.CancellationToken cancellation() {
      return attempt.cancellation;
    }

    @Override
    public TimeSource time() {
      return time;
    }

    @Override
    public java.util.concurrent.Executor blockingExecutor() {
      return blocking;
    }

    @Override
    public Optional<JsonNode> checkpoint() {
      return checkpoint;
    }

    @Override
    public CompletionStage<Void> saveCheckpoint(JsonNode value) {
      CompletableFuture<Void>[] durable = new CompletableFuture[] {CompletableFuture.completedFuture(null)};
      locked(() -> {
        if (!attempt.finished) {
          emit(attempt.workflow, new WorkflowEvent.StepCheckpointed(attempt.step.name(), value));
          commit();
          durable[0] = lastAppend;
        }
        return null;
      });
      return durable[0];
    }

    @Override
    public void progress(String message) {
      if (!options.realTimeUpdates() || message == null) {
        return;
      }
      locked(() -> {
        if (!attempt.finished) {
          emit(attempt.workflow, new WorkflowEvent.StepProgress(attempt.step.name(), truncate(message, MAX_PROGRESS_LENGTH)));
        }
        return null;
      });
    }

    @Override
    public void recordUsage(io.voltworkflow.core.model.Usage usage) {
      locked(() -> {
        attempt.usage = attempt.usage.plus(usage);
        return null;
      });
    }

    @Override
    public void recordProvenance(String key, String value) {
      locked(() -> {
        if (attempt.provenance.size() < MAX_PROVENANCE_ENTRIES || attempt.provenance.containsKey(key)) {
          attempt.provenance.put(truncate(key, 100), value == null ? "" : truncate(value, MAX_PROGRESS_LENGTH));
        }
        return null;
      });
    }

    @Override
    public boolean budgetExhausted() {
      return locked(() -> {
        io.voltworkflow.core.model.Usage spent = attempt.workflow.usage;
        for (StepRuntime s : attempt.workflow.steps) {
          if (s.current != null) {
            spent = spent.plus(s.current.usage);
          }
        }
        return attempt.workflow.options.budget().isExhaustedBy(spent);
      });
    }
  }
}
