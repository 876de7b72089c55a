package io.voltworkflow.core.internal;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.store.DamageReport;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Recovery and leases: rebuilds workflows from the store by the same fold that runs them live, and puts unfinished
 * work back in motion — steps that were running are re-issued with the same attempt number and idempotency key,
 * retries wait out the rest of their backoff, deadlines re-arm. With a shared store it keeps this instance's leases
 * alive, lets go of workflows whose lease passed to another instance and takes over orphaned ones. It also runs
 * the periodic snapshots that let the store drop old events.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
    private static final int CATCH_UP_PAGE = 1000;

    private final OrchestratorOptions options;
    private final WorkflowStore store;
    private final TimeSource time;
    private final Optional<LeaseManager> leases;
    private final Workflows workflows;
    private final Dispatcher dispatcher;
    private final Journal journal;
    private final AttemptRunner attempts;
    private final List<TimeSource.Timer> maintenanceTimers = new ArrayList<>();
    private boolean stopped;

    Recovery(
            OrchestratorOptions options,
            Optional<LeaseManager> leases,
            Workflows workflows,
            Dispatcher dispatcher,
            Journal journal,
            AttemptRunner attempts) {
        this.options = options;
        this.store = options.store();
        this.time = options.timeSource();
        this.leases = leases;
        this.workflows = workflows;
        this.dispatcher = dispatcher;
        this.journal = journal;
        this.attempts = attempts;
    }

    /**
     * Rebuilds every workflow from the store and puts unfinished work back in motion. Each workflow's events are a
     * batch of their own, so a store refusing one workflow's cannot take another offline; the batches reach the store
     * together once every workflow is resumed and its running steps re-issued, so they share one group commit.
     */
    void recoverAll() {
        Map<WorkflowId, WorkflowRuntime> replayedAll = replay(store::replay);
        journal.holdingFlushes(() -> {
            resumeAll(replayedAll);
            attempts.dispatch();
        });
    }

    private void resumeAll(Map<WorkflowId, WorkflowRuntime> replayedAll) {
        DamageReport damage = store.damage();
        for (WorkflowRuntime replayed : replayedAll.values()) {
            WorkflowRuntime w = replayed;
            w.damage = damage.of(w.id);
            if (!w.state.isTerminal() && leases.isPresent()) {
                if (!leases.get().tryAcquire(w.id, options.instanceId(), options.leaseTtl())) {
                    continue;
                }
                // The replay may be older than the lease: another instance may have run the workflow on meanwhile.
                w = caughtUp(w);
                if (w.state.isTerminal()) {
                    leases.get().release(w.id, options.instanceId());
                }
            }
            WorkflowRuntime recovered = w;
            workflows.add(recovered);
            workflows.lockedWithoutDispatch(recovered, () -> resumeAfterRestart(recovered));
        }
    }

    /**
     * {@code w}, not yet visible to anyone else, with the events stored after it; called once this instance holds
     * the workflow's lease, so nobody else appends meanwhile (the store fences them).
     */
    private WorkflowRuntime caughtUp(WorkflowRuntime w) {
        while (true) {
            List<EventRecord> newer = store.read(w.id, w.lastSequence, CATCH_UP_PAGE);
            if (newer.isEmpty()) {
                return w;
            }
            if (newer.get(0).sequence() != w.lastSequence + 1) {
                // Compacted into a snapshot meanwhile: start again from the store's state.
                return replay(visitor -> store.replay(w.id, visitor)).getOrDefault(w.id, w);
            }
            for (EventRecord record : newer) {
                w.apply(record);
                journal.observe(w, record);
            }
        }
    }

    /**
     * The workflow as the store has it now, folded apart from this process's state (no analytics, nothing
     * scheduled): for answering about workflows another instance runs. Empty when the store does not know it.
     */
    Optional<WorkflowRuntime> readStored(WorkflowId id) {
        WorkflowRuntime[] folded = new WorkflowRuntime[1];
        store.replay(id, new WorkflowStore.ReplayVisitor() {
            @Override
            public void snapshot(WorkflowSnapshot snapshot) {
                folded[0] = SnapshotCodec.decode(snapshot, options.maxHistoryEntries());
            }

            @Override
            public void event(EventRecord record) {
                if (folded[0] == null) {
                    folded[0] = new WorkflowRuntime(record.workflowId(), options.maxHistoryEntries());
                }
                folded[0].apply(record);
            }
        });
        return Optional.ofNullable(folded[0]);
    }

    /**
     * Takes over a workflow this process does not run, if its lease is free: folds it from the store (after taking
     * the lease, so the fold is current) and puts its unfinished work back in motion. Empty when another instance
     * holds the lease or the store does not know the workflow. Outside any workflow lock.
     */
    Optional<WorkflowRuntime> adopt(WorkflowId id) {
        return workflows.claimed(id, () -> {
            if (!leases.orElseThrow().tryAcquire(id, options.instanceId(), options.leaseTtl())) {
                return Optional.empty();
            }
            return adoptLeased(id);
        });
    }

    /**
     * {@link #adopt} once this instance holds the lease. If the adoption fails (the store cannot be read), the lease
     * is let go rather than kept: a lease this process renews with no copy running under it would keep the workflow
     * from every other instance for good.
     */
    Optional<WorkflowRuntime> adoptLeased(WorkflowId id) {
        LeaseManager l = leases.orElseThrow();
        return workflows.claimed(id, () -> {
            WorkflowRuntime[] adopted = new WorkflowRuntime[1];
            try {
                return adoptLeased(id, l, adopted);
            } catch (RuntimeException e) {
                if (adopted[0] != null && workflows.remove(id, adopted[0])) {
                    List<Attempt> toCancel = new ArrayList<>();
                    workflows.locked(adopted[0], () -> {
                        workflows.detach(adopted[0], toCancel, "its adoption failed");
                        return null;
                    });
                    toCancel.forEach(a -> a.cancellation.cancel("adoption failed"));
                }
                workflows.releaseQuietly(l, id);
                throw e;
            }
        });
    }

    private Optional<WorkflowRuntime> adoptLeased(WorkflowId id, LeaseManager l, WorkflowRuntime[] adopted) {
        WorkflowRuntime known = workflows.find(id);
        if (known != null && workflows.guarded(known, () -> !known.state.isTerminal())) {
            // Runs here already, now under the lease just taken (again).
            return Optional.of(known);
        }
        WorkflowRuntime w = replay(visitor -> store.replay(id, visitor)).get(id);
        if (w == null) {
            l.release(id, options.instanceId());
            return Optional.empty();
        }
        if (w.state.isTerminal()) {
            // Finished meanwhile: nothing to run, and a finished workflow holds no lease.
            l.release(id, options.instanceId());
        }
        workflows.add(w);
        adopted[0] = w;
        workflows.locked(w, () -> {
            resumeAfterRestart(w);
            return null;
        });
        return Optional.of(w);
    }

    /** Records that an operator has seen the store's damage; the workflows' marks follow. */
    DamageReport acknowledgeDamage() {
        store.acknowledgeDamage();
        DamageReport damage = store.damage();
        for (WorkflowRuntime w : workflows.all()) {
            workflows.guarded(w, () -> {
                w.damage = damage.of(w.id);
                return null;
            });
        }
        return damage;
    }

    /**
     * Folds the records a store replays into fresh workflows, not yet visible to anyone else. The store's records are
     * gathered per workflow, then each workflow is folded on its own, in parallel (the common pool bounds it by the
     * cores); analytics then observe the folded events in the store's order, so a replay counts as before. A workflow
     * whose records cannot be rebuilt (its creation and every snapshot lost, an unreadable snapshot, events its state
     * refuses) is reported unavailable with the reason; the others are unaffected.
     */
    private Map<WorkflowId, WorkflowRuntime> replay(Consumer<WorkflowStore.ReplayVisitor> source) {
        Map<WorkflowId, StoredLog> logs = new LinkedHashMap<>();
        source.accept(new WorkflowStore.ReplayVisitor() {
            @Override
            public void snapshot(WorkflowSnapshot snapshot) {
                StoredLog log = logs.computeIfAbsent(snapshot.workflowId(), StoredLog::new);
                log.snapshot = snapshot;
                log.events.clear();
            }

            @Override
            public void event(EventRecord record) {
                logs.computeIfAbsent(record.workflowId(), StoredLog::new).events.add(record);
            }
        });
        List<Folded> folded = logs.values().parallelStream().map(this::fold).toList();
        Map<WorkflowId, WorkflowRuntime> replayed = new LinkedHashMap<>();
        Map<WorkflowId, String> broken = new LinkedHashMap<>();
        for (Folded f : folded) {
            WorkflowRuntime workflow = f.workflow;
            if (workflow != null) {
                for (EventRecord record : f.log.events.subList(0, f.applied)) {
                    journal.observe(workflow, record);
                }
            }
            if (f.broken != null) {
                broken.put(f.log.id, f.broken);
            } else if (workflow != null) {
                replayed.put(f.log.id, workflow);
            }
        }
        broken.forEach((id, why) -> {
            LOG.log(System.Logger.Level.ERROR, "workflow " + id + " cannot be recovered: " + why);
            workflows.unavailable(id, "it cannot be rebuilt from the store: " + why);
        });
        return replayed;
    }

    /** One workflow's stored records as the store visited them: its latest snapshot, then the events after it. */
    private static final class StoredLog {
        final WorkflowId id;

        @Nullable
        WorkflowSnapshot snapshot;

        final List<EventRecord> events = new ArrayList<>();

        StoredLog(WorkflowId id) {
            this.id = id;
        }
    }

    /**
     * A folded workflow ({@code null} when its snapshot cannot be read), how many of its events it took, and why it
     * cannot be rebuilt ({@code null} if it can).
     */
    private record Folded(
            StoredLog log,
            @Nullable WorkflowRuntime workflow,
            int applied,
            @Nullable String broken) {}

    private Folded fold(StoredLog log) {
        WorkflowRuntime w;
        WorkflowSnapshot snapshot = log.snapshot;
        if (snapshot != null) {
            try {
                w = SnapshotCodec.decode(snapshot, options.maxHistoryEntries());
            } catch (RuntimeException e) {
                return new Folded(log, null, 0, String.valueOf(e.getMessage()));
            }
        } else {
            w = new WorkflowRuntime(log.id, options.maxHistoryEntries());
        }
        int applied = 0;
        for (EventRecord record : log.events) {
            try {
                w.apply(record);
            } catch (RuntimeException e) {
                return new Folded(
                        log, w, applied, "event " + record.sequence() + " does not replay: " + e.getMessage());
            }
            applied++;
        }
        if (w.requirement == null) {
            return new Folded(log, w, applied, "its creation and every snapshot of it are lost (damaged storage)");
        }
        return new Folded(log, w, applied, null);
    }

    private void resumeAfterRestart(WorkflowRuntime w) {
        if (w.foldedPastLoss) {
            recordStateAfterLoss(w);
        }
        if (w.state == WorkflowState.CREATED) {
            journal.emit(w, new WorkflowEvent.WorkflowInitialized("initialized on recovery"));
        }
        if (w.state == WorkflowState.RUNNING && attempts.failAfterDelivery(w)) {
            // A lost failure after completion delivered rejected validations, or a branch tip that failed validation.
            return;
        }
        if (w.state == WorkflowState.RUNNING && w.allStepsCompleted()) {
            // Only a lost completion leaves this (damaged storage): the events after the last step are recorded again.
            journal.emit(w, new WorkflowEvent.WorkflowCompleted(AttemptRunner.result(w)));
            workflows.finished(w);
            return;
        }
        if (w.state == WorkflowState.RUNNING || w.state == WorkflowState.PAUSED) {
            Instant now = time.now();
            for (StepRuntime s : w.steps) {
                if (s.state == StepState.RUNNING) {
                    s.reissue = true;
                } else if (s.state == StepState.RETRY_WAIT && s.retryAt != null && s.retryAt.isAfter(now)) {
                    attempts.scheduleRetry(w, s, Duration.between(now, s.retryAt));
                }
            }
            workflows.scheduleDeadline(w);
            dispatcher.enqueueReady(w, now);
        }
    }

    /**
     * A replay stops at a workflow's first lost event and ignores what is stored after it, so the state it carries
     * on from is snapshotted before anything new is appended: without that, every later start would fold the
     * workflow back to the same point and run its steps (and deliver) again, even once it has completed.
     */
    private void recordStateAfterLoss(WorkflowRuntime w) {
        try {
            store.saveSnapshot(SnapshotCodec.encode(w, time.now())).join();
            w.snapshotSequence = w.lastSequence;
            w.foldedPastLoss = false;
        } catch (CompletionException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "workflow " + w.id + " carries on after lost events, but its state could not be recorded; "
                            + "the next start would fold it back to before the loss",
                    e.getCause());
        }
    }

    // ---------------------------------------------------------------------------------------------- maintenance

    void startMaintenance() {
        if (options.snapshotsEnabled()) {
            scheduleRepeating(options.snapshotInterval(), this::snapshotAndCompact);
        }
        leases.ifPresent(l -> {
            Duration period = options.leaseTtl().dividedBy(3);
            scheduleRepeating(period, () -> maintainLeases(l));
        });
    }

    /** Cancels the periodic work; nothing is scheduled again. */
    synchronized void stopMaintenance() {
        stopped = true;
        maintenanceTimers.forEach(TimeSource.Timer::cancel);
    }

    /** Runs {@code task} every {@code period} until maintenance stops; a failure is logged, not fatal. */
    synchronized void scheduleRepeating(Duration period, Runnable task) {
        if (stopped || !workflows.accepting()) {
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
    }

    /** Snapshots workflows with new events, then lets the store drop events past retention. */
    private void snapshotAndCompact() {
        Instant now = time.now();
        List<WorkflowSnapshot> snapshots = new ArrayList<>();
        for (WorkflowRuntime w : workflows.all()) {
            workflows.guarded(w, () -> {
                if (w.lastSequence > w.snapshotSequence) {
                    snapshots.add(SnapshotCodec.encode(w, now));
                    w.snapshotSequence = w.lastSequence;
                }
                return null;
            });
        }
        for (WorkflowSnapshot snapshot : snapshots) {
            try {
                store.saveSnapshot(snapshot).join();
            } catch (CompletionException e) {
                // Refused (its lease passed on, or its copy ran ahead of the log): the next owner snapshots it.
                LOG.log(
                        System.Logger.Level.WARNING,
                        "snapshot of workflow " + snapshot.workflowId() + " not stored",
                        e.getCause());
            }
        }
        store.compact(time.now().minus(options.eventRetention()));
    }

    private void maintainLeases(LeaseManager l) {
        List<WorkflowId> lost = l.renewAll(options.instanceId(), options.leaseTtl());
        if (!lost.isEmpty()) {
            List<Attempt> toCancel = new ArrayList<>();
            for (WorkflowId id : lost) {
                workflows.claimed(id, () -> workflows.detach(id, toCancel, "its lease passed to another instance"));
            }
            toCancel.forEach(a -> a.cancellation.cancel("lease lost to another instance"));
        }
        for (WorkflowId id : l.orphaned(100)) {
            // A terminal copy in memory may be stale: another instance may have resumed the workflow since.
            WorkflowRuntime known = workflows.find(id);
            boolean running = known != null && workflows.guarded(known, () -> !known.state.isTerminal());
            if (!running) {
                adopt(id);
            }
        }
    }
}
