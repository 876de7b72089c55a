package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.DuplicateWorkflowException;
import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowProblem;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.model.WorkflowValidator;
import io.voltworkflow.core.plan.StandardPlan;
import io.voltworkflow.core.status.DispatchStats;
import io.voltworkflow.core.status.WorkflowAnalytics;
import io.voltworkflow.core.status.WorkflowMetrics;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lifecycle API: create, start, pause, resume, cancel, query and subscribe. Each call is one decision taken in a
 * critical section of {@link Workflows}; this class wires the engine's parts and holds no state of its own. The parts,
 * each depending only on those after it: {@link Recovery} (replay, leases, snapshots) and {@link AttemptRunner}
 * (invoke, timeout, classify, retry) → {@link Workflows} (registry, critical sections, how workflows stop) →
 * {@link Dispatcher} (ready queue, bounds, critical-path order) and {@link Journal} (events to the store and to
 * subscribers).
 */
public final class DefaultWorkflowOrchestrator implements WorkflowOrchestrator {
  private static final System.Logger LOG = System.getLogger(DefaultWorkflowOrchestrator.class.getName());
  private static final int MAX_EVENTS_PAGE = 10_000;

  private final OrchestratorOptions options;
  private final WorkflowStore store;
  private final TimeSource time;
  private final EventBus bus;
  private final Analytics analytics = new Analytics();
  private final Optional<LeaseManager> leases;
  private final ExecutorService blocking;
  private final Dispatcher dispatcher;
  private final Workflows workflows;
  private final Journal journal;
  private final AttemptRunner attempts;
  private final Recovery recovery;

  private DefaultWorkflowOrchestrator(OrchestratorOptions options) {
    this.options = options;
    this.store = options.store();
    this.time = options.timeSource();
    this.bus = new EventBus(options.eventQueueSize(), options.eventBatchSize(), options.eventSystemEnabled(), store);
    this.leases = store.leases();
    AtomicInteger count = new AtomicInteger();
    this.blocking = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "volt-engine-io-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.dispatcher = new Dispatcher(options.maxConcurrentSteps(), options.parallelExecution());
    this.workflows = new Workflows(options, leases, dispatcher);
    this.journal = new Journal(store, bus, analytics, time, blocking, workflows::storeFailed);
    this.attempts = new AttemptRunner(options, blocking, workflows, dispatcher, journal);
    this.workflows.wire(journal, attempts::dispatch);
    this.recovery = new Recovery(options, leases, workflows, dispatcher, journal, attempts);
  }

  public static WorkflowOrchestrator open(OrchestratorOptions options) {
    DefaultWorkflowOrchestrator orchestrator = new DefaultWorkflowOrchestrator(options);
    orchestrator.recovery.recoverAll();
    orchestrator.recovery.startMaintenance();
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
    return workflows.durably(() -> {
      workflows.ensureOpen();
      WorkflowRuntime existing = workflows.find(id);
      if (existing != null) {
        // Snapshots written before digests were kept identify the definition by its requirement alone.
        boolean same = existing.definitionDigest == null
            ? existing.requirement.equals(definition.requirementText())
            : existing.definitionDigest.equals(DefinitionDigest.of(definition));
        if (same) {
          return existing;
        }
        throw new DuplicateWorkflowException(id);
      }
      WorkflowRuntime w = new WorkflowRuntime(id, options.maxHistoryEntries());
      workflows.add(w);
      journal.emit(w, new WorkflowEvent.WorkflowCreated(definition));
      journal.emit(w, new WorkflowEvent.WorkflowInitialized("definition validated: " + definition.steps().size() + " steps"));
      return w;
    });
  }

  @Override
  public WorkflowStatus startWorkflow(WorkflowId id) {
    return workflows.durably(() -> {
      WorkflowRuntime w = workflows.get(id);
      requireState(w, WorkflowState.RUNNING, "start", WorkflowState.INITIALIZED);
      journal.emit(w, new WorkflowEvent.WorkflowStarted("started"));
      workflows.scheduleDeadline(w);
      dispatcher.enqueueReady(w, time.now());
      return w;
    });
  }

  @Override
  public WorkflowStatus getWorkflowStatus(WorkflowId id) {
    return workflows.locked(() -> workflows.status(workflows.get(id)));
  }

  @Override
  public List<WorkflowStatus> listWorkflows(WorkflowQuery query) {
    return workflows.locked(() -> {
      return workflows.all().stream()
          .filter(w -> query.states().isEmpty() || query.states().contains(w.state))
          .filter(w -> query.labelKey() == null
              || (query.labelValue() == null
                  ? w.options.labels().containsKey(query.labelKey())
                  : query.labelValue().equals(w.options.labels().get(query.labelKey()))))
          .sorted(Comparator.comparing((WorkflowRuntime w) -> w.createdAt).reversed()
              .thenComparing(w -> w.id.value()))
          .skip(query.offset())
          .limit(query.limit())
          .map(workflows::status)
          .toList();
    });
  }

  @Override
  public CompletableFuture<WorkflowStatus> pauseWorkflow(WorkflowId id) {
    CompletableFuture<WorkflowStatus> paused = new CompletableFuture<>();
    workflows.durably(() -> {
      WorkflowRuntime w = workflows.get(id);
      if (w.state != WorkflowState.PAUSED) {
        requireState(w, WorkflowState.PAUSED, "pause", WorkflowState.RUNNING);
        journal.emit(w, new WorkflowEvent.WorkflowPaused("pause requested"));
      }
      w.pauseWaiters.add(paused);
      workflows.completePauseWaitersIfIdle(w);
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
    return workflows.durably(() -> {
      WorkflowRuntime w = workflows.get(id);
      requireState(w, WorkflowState.RUNNING, "resume", WorkflowState.PAUSED, WorkflowState.FAILED);
      if (w.state == WorkflowState.FAILED) {
        List<String> rerun = w.steps.stream()
            .filter(s -> s.state == StepState.FAILED || s.state == StepState.CANCELLED)
            .map(StepRuntime::name)
            .toList();
        journal.emit(w, new WorkflowEvent.WorkflowResumed("resumed after failure: re-running " + rerun.size() + " steps", rerun));
        workflows.scheduleDeadline(w);
      } else {
        journal.emit(w, new WorkflowEvent.WorkflowResumed("resumed", List.of()));
      }
      dispatcher.enqueueReady(w, time.now());
      return w;
    });
  }

  @Override
  public WorkflowStatus cancelWorkflow(WorkflowId id, String reason) {
    String why = reason == null || reason.isBlank() ? "cancelled by user" : AttemptContext.truncate(reason, AttemptContext.MAX_PROGRESS_LENGTH);
    return workflows.durably(() -> {
      WorkflowRuntime w = workflows.get(id);
      if (w.state.isFinal()) {
        throw new IllegalTransitionException(id, w.state, WorkflowState.CANCELLED, "cancel");
      }
      workflows.stopSteps(w, why);
      journal.emit(w, new WorkflowEvent.WorkflowCancelled(why));
      workflows.finished(w);
      return w;
    });
  }

  @Override
  public CompletableFuture<WorkflowStatus> awaitTermination(WorkflowId id) {
    return workflows.locked(() -> {
      WorkflowRuntime w = workflows.get(id);
      CompletableFuture<WorkflowStatus> done = new CompletableFuture<>();
      if (w.state.isTerminal()) {
        done.complete(workflows.status(w));
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
    return workflows.locked(() -> {
      long completed = 0, failed = 0, cancelled = 0, active = 0, duration = 0, withDuration = 0, retries = 0;
      for (WorkflowRuntime w : workflows.all()) {
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
    return workflows.locked(() -> StatusViews.metrics(workflows.get(id), time.now()));
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
    workflows.locked(() -> workflows.get(id));
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
    workflows.locked(() -> workflows.get(id));
    return store.read(id, afterSequence, limit);
  }

  @Override
  public DispatchStats dispatchStats() {
    int[] counts = workflows.locked(() -> new int[] {dispatcher.readyCount(), dispatcher.running()});
    return new DispatchStats(counts[0], counts[1], bus.queuedEvents());
  }

  @Override
  public void shutdown(Duration grace) {
    List<Attempt> inFlight = new ArrayList<>();
    CompletableFuture<Void> idle = new CompletableFuture<>();
    workflows.locked(() -> {
      if (workflows.closed()) {
        idle.complete(null);
      } else {
        workflows.drain(idle);
      }
      return null;
    });
    recovery.stopMaintenance();
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
    CompletableFuture<Void> flushed = workflows.locked(() -> {
      if (!workflows.close()) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      for (WorkflowRuntime w : workflows.all()) {
        workflows.detach(w, inFlight, "the orchestrator shut down");
      }
      return journal.lastAppend();
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

  private static void requireState(WorkflowRuntime w, WorkflowState target, String action, WorkflowState... allowed) {
    for (WorkflowState state : allowed) {
      if (w.state == state) {
        return;
      }
    }
    throw new IllegalTransitionException(w.id, w.state, target, action);
  }
}
