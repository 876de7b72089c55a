package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.DuplicateWorkflowException;
import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.WorkflowRunElsewhereException;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowProblem;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.model.WorkflowValidator;
import io.voltworkflow.core.plan.StandardPlan;
import io.voltworkflow.core.status.DispatchStats;
import io.voltworkflow.core.status.OperationalStats;
import io.voltworkflow.core.status.WorkflowAnalytics;
import io.voltworkflow.core.status.WorkflowMetrics;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.ControlRequests;
import io.voltworkflow.core.store.ControlRequests.Action;
import io.voltworkflow.core.store.DamageReport;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.WorkflowCatalog;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
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
import org.jspecify.annotations.Nullable;

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
    /** How often a subscription reads a shared store for events another instance stored. */
    static final Duration STORE_TAIL_PERIOD = Duration.ofMillis(500);

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
    /** With a store that relays control requests between instances. */
    private final Optional<ControlRelay> relay;

    private DefaultWorkflowOrchestrator(OrchestratorOptions options) {
        this.options = options;
        this.store = options.store();
        this.time = options.timeSource();
        this.bus =
                new EventBus(options.eventQueueSize(), options.eventBatchSize(), options.eventSystemEnabled(), store);
        this.leases = store.leases();
        AtomicInteger count = new AtomicInteger();
        this.blocking = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "volt-engine-io-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.dispatcher = new Dispatcher(options.maxConcurrentSteps(), options.parallelExecution());
        this.workflows = new Workflows(
                options,
                leases,
                dispatcher,
                onStoreFailure -> new Journal(store, bus, analytics, time, blocking, onStoreFailure));
        this.journal = workflows.journal();
        this.attempts = new AttemptRunner(options, blocking, workflows, dispatcher, journal);
        this.workflows.wire(attempts::dispatch, attempts::dispatchWithin);
        this.recovery = new Recovery(options, leases, workflows, dispatcher, journal, attempts);
        this.relay = leases.isEmpty()
                ? Optional.empty()
                : store.controlRequests()
                        .map(requests -> new ControlRelay(
                                requests,
                                options.instanceId(),
                                options.leaseTtl().multipliedBy(2)));
    }

    public static WorkflowOrchestrator open(OrchestratorOptions options) {
        DefaultWorkflowOrchestrator orchestrator = new DefaultWorkflowOrchestrator(options);
        orchestrator.recovery.recoverAll();
        orchestrator.recovery.startMaintenance();
        orchestrator.relay.ifPresent(relay -> orchestrator.recovery.scheduleRepeating(
                ControlRelay.pollPeriod(options.leaseTtl()), () -> relay.executeTaken(orchestrator::executeRelayed)));
        return orchestrator;
    }

    // ---------------------------------------------------------------------------------------------- lifecycle API

    @Override
    public WorkflowStatus createWorkflow(
            String requirementText, Map<String, ?> projectContext, WorkflowOptions workflowOptions) {
        JsonNode context;
        try {
            context = WorkflowJson.toTree(projectContext == null ? Map.of() : projectContext);
        } catch (IllegalArgumentException e) {
            throw new InvalidWorkflowException(List.of(
                    new WorkflowProblem(WorkflowProblem.INVALID_INPUT, null, "projectContext: " + e.getMessage())));
        }
        return createWorkflow(StandardPlan.definition(requirementText, context, workflowOptions));
    }

    @Override
    public WorkflowStatus createWorkflow(WorkflowDefinition definition) {
        WorkflowValidator.validate(definition);
        WorkflowId id = definition.options().workflowId().orElseGet(options.idGenerator());
        if (leases.isPresent()) {
            Optional<WorkflowStatus> createdElsewhere = createdElsewhere(id, definition);
            if (createdElsewhere.isPresent()) {
                return createdElsewhere.get();
            }
            try {
                return createHere(id, definition);
            } catch (RuntimeException e) {
                // The lease taken for it must not outlive a create that registered nothing (shutting down, say).
                if (workflows.find(id) == null) {
                    workflows.releaseQuietly(leases.get(), id);
                }
                throw e;
            }
        }
        return createHere(id, definition);
    }

    private WorkflowStatus createHere(WorkflowId id, WorkflowDefinition definition) {
        while (true) {
            workflows.ensureOpen();
            if (workflows.find(id) != null) {
                try {
                    return workflows.durably(id, existing -> {
                        if (!sameDefinition(existing, definition)) {
                            throw new DuplicateWorkflowException(id);
                        }
                    });
                } catch (WorkflowNotFoundException gone) {
                    continue;
                }
            }
            WorkflowStatus created =
                    workflows.createDurably(new WorkflowRuntime(id, options.maxHistoryEntries()), w -> {
                        journal.emit(w, new WorkflowEvent.WorkflowCreated(definition));
                        journal.emit(
                                w,
                                new WorkflowEvent.WorkflowInitialized("definition validated: "
                                        + definition.steps().size() + " steps"));
                    });
            if (created != null) {
                return created;
            }
        }
    }

    // Snapshots written before digests were kept identify the definition by its requirement alone.
    private static boolean sameDefinition(WorkflowRuntime w, WorkflowDefinition definition) {
        String digest = w.definitionDigest();
        return digest == null
                ? w.requirement().equals(definition.requirementText())
                : digest.equals(DefinitionDigest.of(definition));
    }

    /** Whether this process runs the workflow now (a finished copy may be stale: it can be resumed elsewhere). */
    private boolean runningHere(WorkflowId id) {
        WorkflowRuntime known = workflows.find(id);
        return known != null && workflows.guarded(known, () -> !known.state.isTerminal());
    }

    /**
     * With a shared store, a create retried on another instance finds the workflow there: the same definition
     * answers with it as it is now, another is a duplicate. Leaves the lease with this instance when it should go on
     * to create the workflow, or run it (its creator died). Outside any lock: each step is a database round trip.
     */
    private Optional<WorkflowStatus> createdElsewhere(WorkflowId id, WorkflowDefinition definition) {
        if (runningHere(id)) {
            return Optional.empty();
        }
        LeaseManager l = leases.orElseThrow();
        return workflows.claimed(id, () -> {
            LeaseManager.Acquisition lease = l.acquire(id, options.instanceId(), options.leaseTtl());
            if (lease.heldWithNothingStored()) {
                // The usual create: the store holds nothing of the id, so there is nothing to read back.
                return Optional.empty();
            }
            boolean leased = lease.held();
            Optional<WorkflowRuntime> stored;
            try {
                stored = recovery.readStored(id);
            } catch (RuntimeException e) {
                if (leased) {
                    workflows.releaseQuietly(l, id);
                }
                throw e;
            }
            if (stored.isEmpty()) {
                if (leased) {
                    return Optional.empty();
                }
                throw new WorkflowRunElsewhereException(id);
            }
            if (!sameDefinition(stored.get(), definition)) {
                if (leased) {
                    l.release(id, options.instanceId());
                }
                throw new DuplicateWorkflowException(id);
            }
            if (!leased || stored.get().state.isTerminal()) {
                if (leased) {
                    l.release(id, options.instanceId());
                }
                return Optional.of(workflows.status(stored.get()));
            }
            // Its creator died: run it from where the store has it.
            WorkflowRuntime adopted = recovery.adoptLeased(id).orElseThrow(() -> new WorkflowNotFoundException(id));
            return Optional.of(workflows.guarded(adopted, () -> workflows.status(adopted)));
        });
    }

    /**
     * With a shared store, a control request for a workflow this process does not run is executed here when its lease
     * is free (it is taken over, folded from the store after taking the lease, so it is current), and otherwise
     * relayed to the instance holding the lease, through the store. Returns whether that instance executed it (its
     * refusal is raised here); {@code false}: execute it here.
     */
    private boolean executedElsewhere(WorkflowId id, Action action, @Nullable String reason) {
        if (leases.isEmpty() || runningHere(id) || recovery.adopt(id).isPresent()) {
            return false;
        }
        if (recovery.readStored(id).isEmpty()) {
            throw new WorkflowNotFoundException(id);
        }
        if (relay.isEmpty()) {
            throw new WorkflowRunElsewhereException(id);
        }
        return relay.get().forward(id, action, reason, () -> recovery.adopt(id).isPresent());
    }

    /** Executes the control requests other instances relayed for the workflows this instance runs. */
    private void executeRelayed(ControlRequests.Request request) {
        WorkflowId id = request.workflowId();
        if (!runningHere(id)) {
            throw new WorkflowRunElsewhereException(id);
        }
        switch (request.action()) {
            case START -> startHere(id);
            case PAUSE -> pauseHere(id);
            case RESUME -> resumeHere(id);
            case CANCEL -> cancelHere(id, request.reason());
        }
    }

    @Override
    public WorkflowStatus startWorkflow(WorkflowId id) {
        return executedElsewhere(id, Action.START, null) ? getWorkflowStatus(id) : startHere(id);
    }

    private WorkflowStatus startHere(WorkflowId id) {
        return workflows.durably(id, w -> {
            requireState(w, WorkflowState.RUNNING, "start", WorkflowState.INITIALIZED);
            journal.emit(w, new WorkflowEvent.WorkflowStarted("started"));
            workflows.scheduleDeadline(w);
            dispatcher.enqueueReady(w, time.now());
        });
    }

    /**
     * From memory when this process runs the workflow; with a shared store, otherwise from the store, as another
     * instance may run it or have run it since (a finished copy in memory may be stale: it can be resumed elsewhere).
     */
    @Override
    public WorkflowStatus getWorkflowStatus(WorkflowId id) {
        if (leases.isEmpty()) {
            return workflows.locked(id, workflows::status);
        }
        WorkflowRuntime known = workflows.find(id);
        Optional<WorkflowStatus> running = known == null
                ? Optional.empty()
                : workflows.guarded(
                        known,
                        () -> known.state.isTerminal() ? Optional.empty() : Optional.of(workflows.status(known)));
        return running.orElseGet(() ->
                recovery.readStored(id).map(workflows::status).orElseThrow(() -> new WorkflowNotFoundException(id)));
    }

    /**
     * From memory; with a shared store, from its catalog, so every instance lists every workflow (each as
     * {@link #getWorkflowStatus} answers for it).
     */
    @Override
    public List<WorkflowStatus> listWorkflows(WorkflowQuery query) {
        Optional<WorkflowCatalog> catalog = store.catalog();
        if (catalog.isPresent()) {
            List<WorkflowStatus> page = new ArrayList<>();
            for (WorkflowId id : catalog.get().list(query)) {
                try {
                    page.add(getWorkflowStatus(id));
                } catch (WorkflowNotFoundException removed) {
                    // Listed, then gone before it was read: not part of this page.
                }
            }
            return page;
        }
        record Row(WorkflowRuntime workflow, Instant createdAt) {}
        List<Row> matching = new ArrayList<>();
        for (WorkflowRuntime w : workflows.all()) {
            Row row = workflows.guarded(w, () -> {
                Instant createdAt = w.createdAt;
                boolean matches = (query.states().isEmpty() || query.states().contains(w.state))
                        && (query.labelKey() == null
                                || (query.labelValue() == null
                                        ? w.options.labels().containsKey(query.labelKey())
                                        : query.labelValue()
                                                .equals(w.options.labels().get(query.labelKey()))));
                return createdAt != null && matches ? new Row(w, createdAt) : null;
            });
            if (row != null) {
                matching.add(row);
            }
        }
        return matching.stream()
                .sorted(Comparator.comparing(Row::createdAt)
                        .reversed()
                        .thenComparing(row -> row.workflow().id.value()))
                .skip(query.offset())
                .limit(query.limit())
                .map(row -> workflows.guarded(row.workflow(), () -> workflows.status(row.workflow())))
                .toList();
    }

    @Override
    public CompletableFuture<WorkflowStatus> pauseWorkflow(WorkflowId id) {
        return executedElsewhere(id, Action.PAUSE, null)
                ? CompletableFuture.completedFuture(getWorkflowStatus(id))
                : pauseHere(id);
    }

    private CompletableFuture<WorkflowStatus> pauseHere(WorkflowId id) {
        CompletableFuture<WorkflowStatus> paused = new CompletableFuture<>();
        workflows.durably(id, w -> {
            if (w.state != WorkflowState.PAUSED) {
                requireState(w, WorkflowState.PAUSED, "pause", WorkflowState.RUNNING);
                journal.emit(w, new WorkflowEvent.WorkflowPaused("pause requested"));
            }
            w.pauseWaiters.add(paused);
            workflows.completePauseWaitersIfIdle(w);
        });
        return paused;
    }

    @Override
    public WorkflowStatus resumeWorkflow(WorkflowId id) {
        return executedElsewhere(id, Action.RESUME, null) ? getWorkflowStatus(id) : resumeHere(id);
    }

    private WorkflowStatus resumeHere(WorkflowId id) {
        // A failed workflow gave up its lease; take it back (outside the lock: a database round trip) before resuming.
        if (leases.isPresent() && !leases.get().tryAcquire(id, options.instanceId(), options.leaseTtl())) {
            throw new WorkflowRunElsewhereException(id);
        }
        try {
            return resume(id);
        } catch (RuntimeException e) {
            // A refused resume leaves a finished workflow finished: it holds no lease.
            if (leases.isPresent() && !runningHere(id)) {
                workflows.releaseQuietly(leases.get(), id);
            }
            throw e;
        }
    }

    private WorkflowStatus resume(WorkflowId id) {
        return workflows.durably(id, w -> {
            requireState(w, WorkflowState.RUNNING, "resume", WorkflowState.PAUSED, WorkflowState.FAILED);
            if (w.state == WorkflowState.FAILED) {
                List<String> rerun = new ArrayList<>(w.steps.stream()
                        .filter(s -> s.state == StepState.FAILED || s.state == StepState.CANCELLED)
                        .map(StepRuntime::name)
                        .toList());
                // A completion that delivered rejected validations delivers again after they ran again; one whose
                // branch tip failed validation delivers (and validates the tip) again.
                w.completion()
                        .filter(c -> c.state == StepState.COMPLETED
                                && (!rerun.isEmpty()
                                        || WorkflowRuntime.tipValidationFailure(c)
                                                .isPresent()))
                        .ifPresent(c -> rerun.add(c.name()));
                journal.emit(
                        w,
                        new WorkflowEvent.WorkflowResumed(
                                "resumed after failure: re-running " + rerun.size() + " steps", rerun));
                workflows.scheduleDeadline(w);
            } else {
                journal.emit(w, new WorkflowEvent.WorkflowResumed("resumed", List.of()));
            }
            dispatcher.enqueueReady(w, time.now());
        });
    }

    @Override
    public WorkflowStatus cancelWorkflow(WorkflowId id, String reason) {
        return executedElsewhere(id, Action.CANCEL, reason) ? getWorkflowStatus(id) : cancelHere(id, reason);
    }

    private WorkflowStatus cancelHere(WorkflowId id, @Nullable String reason) {
        String why = reason == null || reason.isBlank()
                ? "cancelled by user"
                : AttemptContext.truncate(reason, AttemptContext.MAX_PROGRESS_LENGTH);
        return workflows.durably(id, w -> {
            if (w.state.isFinal()) {
                throw new IllegalTransitionException(id, w.state, WorkflowState.CANCELLED, "cancel");
            }
            workflows.stopSteps(w, why);
            journal.emit(w, new WorkflowEvent.WorkflowCancelled(why));
            workflows.finished(w);
        });
    }

    @Override
    public CompletableFuture<WorkflowStatus> awaitTermination(WorkflowId id) {
        return workflows.locked(id, w -> {
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
        long completed = 0, failed = 0, cancelled = 0, active = 0, duration = 0, withDuration = 0, retries = 0;
        io.voltworkflow.core.status.RepairStats repair = io.voltworkflow.core.status.RepairStats.NONE;
        List<WorkflowRuntime> all = workflows.all();
        for (WorkflowRuntime w : all) {
            repair = repair.plus(workflows.guarded(w, () -> StatusViews.repair(w)));
            Counted counted = workflows.guarded(
                    w,
                    () -> new Counted(
                            w.state,
                            w.state.isTerminal() && w.startedAt != null && w.finishedAt != null
                                    ? Duration.between(w.startedAt, w.finishedAt)
                                            .toMillis()
                                    : -1,
                            w.retries));
            switch (counted.state()) {
                case COMPLETED -> completed++;
                case FAILED -> failed++;
                case CANCELLED -> cancelled++;
                default -> active++;
            }
            if (counted.durationMillis() >= 0) {
                duration += counted.durationMillis();
                withDuration++;
            }
            retries += counted.retries();
        }
        return analytics.snapshot(new Analytics.WorkflowCounts(
                all.size(), completed, failed, cancelled, active, duration, withDuration, retries, repair));
    }

    /** What analytics read of one workflow under its lock; a negative duration: not finished. */
    private record Counted(WorkflowState state, long durationMillis, long retries) {}

    @Override
    public WorkflowMetrics getWorkflowMetrics(WorkflowId id) {
        if (!options.metricsEnabled()) {
            throw new IllegalStateException("metrics are disabled (WORKFLOW_METRICS_ENABLED=false)");
        }
        WorkflowRuntime w = workflows.get(id);
        return workflows.guarded(w, () -> StatusViews.metrics(w, time.now()));
    }

    @Override
    public Subscription on(EventType type, EventListener listener) {
        return bus.subscribe(record -> record.type() == type, listener);
    }

    @Override
    public Subscription onAny(EventListener listener) {
        return bus.subscribe(record -> true, listener);
    }

    /**
     * With a shared store, any workflow the store knows, run here or by another instance (or moving between them):
     * the events this instance publishes, and the store's newer events read every {@link #STORE_TAIL_PERIOD}.
     */
    @Override
    public Subscription subscribe(WorkflowId id, long afterSequence, EventListener listener) {
        if (leases.isEmpty()) {
            workflows.get(id);
        } else if (workflows.find(id) == null && !knownToStore(id)) {
            throw new WorkflowNotFoundException(id);
        }
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative, was " + afterSequence);
        }
        return leases.isEmpty()
                ? bus.subscribe(id, afterSequence, listener)
                : bus.subscribeTailing(id, afterSequence, listener, time, STORE_TAIL_PERIOD);
    }

    /** Whether the store holds events of the workflow, or held some that compaction folded into a snapshot. */
    private boolean knownToStore(WorkflowId id) {
        return !store.read(id, 0, 1).isEmpty() || store.firstRetainedSequence(id) > 1;
    }

    @Override
    public DamageReport storeDamage() {
        return store.damage();
    }

    @Override
    public DamageReport acknowledgeStoreDamage() {
        return recovery.acknowledgeDamage();
    }

    @Override
    public List<EventRecord> events(WorkflowId id, long afterSequence, int limit) {
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative, was " + afterSequence);
        }
        if (limit < 1 || limit > MAX_EVENTS_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_EVENTS_PAGE + ", was " + limit);
        }
        if (leases.isEmpty()) {
            workflows.get(id);
            return store.read(id, afterSequence, limit);
        }
        // A shared store's workflows are known to the store, whichever instance runs them.
        List<EventRecord> events = store.read(id, afterSequence, limit);
        if (events.isEmpty()
                && workflows.find(id) == null
                && store.firstRetainedSequence(id) == 1
                && recovery.readStored(id).isEmpty()) {
            throw new WorkflowNotFoundException(id);
        }
        return events;
    }

    @Override
    public Optional<String> storeUnavailability() {
        return store.unavailability();
    }

    @Override
    public DispatchStats dispatchStats() {
        return new DispatchStats(dispatcher.readyCount(), dispatcher.running(), bus.queuedEvents());
    }

    @Override
    public OperationalStats operationalStats() {
        Instant now = time.now();
        Usage usage = Usage.NONE;
        double maxBudgetUsed = 0;
        Duration longestIdle = Duration.ZERO;
        record Reading(Usage usage, double budgetUsed, Duration idle) {}
        for (WorkflowRuntime w : workflows.all()) {
            Reading reading = workflows.guarded(
                    w,
                    () -> new Reading(
                            w.usage,
                            w.state.isTerminal() ? 0 : w.options.budget().usedRatio(w.usage),
                            w.state == WorkflowState.RUNNING && w.lastEventAt != null && w.lastEventAt.isBefore(now)
                                    ? Duration.between(w.lastEventAt, now)
                                    : Duration.ZERO));
            usage = usage.plus(reading.usage());
            maxBudgetUsed = Math.max(maxBudgetUsed, reading.budgetUsed());
            if (reading.idle().compareTo(longestIdle) > 0) {
                longestIdle = reading.idle();
            }
        }
        return new OperationalStats(
                analytics.stepTypes(), usage, maxBudgetUsed, longestIdle, workflows.storeAppendFailures());
    }

    @Override
    public void shutdown(Duration grace) {
        List<Attempt> inFlight = new ArrayList<>();
        CompletableFuture<Void> idle = new CompletableFuture<>();
        workflows.drain(idle);
        recovery.stopMaintenance();
        if (!grace.isZero() && !grace.isNegative()) {
            try {
                idle.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "shutdown: steps still running after " + grace + " are re-issued on reopen");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        List<WorkflowId> leased = new ArrayList<>();
        if (workflows.close()) {
            for (WorkflowRuntime w : workflows.all()) {
                durable.add(workflows.locked(w, () -> {
                    workflows.detach(w, inFlight, "the orchestrator shut down");
                    if (!w.state.isTerminal()) {
                        leased.add(w.id);
                    }
                    return w.lastAppend;
                }));
            }
        }
        CompletableFuture<Void> flushed = CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new));
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
        if (!grace.isZero() && !grace.isNegative()) {
            // A graceful stop hands its workflows over at once; an abrupt one (no grace) leaves its leases to expire,
            // as a crash does.
            leases.ifPresent(l -> leased.forEach(id -> {
                try {
                    l.release(id, options.instanceId());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "shutdown: cannot release the lease of workflow " + id, e);
                }
            }));
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
