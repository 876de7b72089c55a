package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.event.WorkflowEvent.RepairRoundStarted;
import io.voltworkflow.core.event.WorkflowEvent.StepCancelled;
import io.voltworkflow.core.event.WorkflowEvent.StepCheckpointed;
import io.voltworkflow.core.event.WorkflowEvent.StepCompleted;
import io.voltworkflow.core.event.WorkflowEvent.StepFailed;
import io.voltworkflow.core.event.WorkflowEvent.StepProgress;
import io.voltworkflow.core.event.WorkflowEvent.StepRetrying;
import io.voltworkflow.core.event.WorkflowEvent.StepStarted;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowCancelled;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowCompleted;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowCreated;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowExpanded;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowFailed;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowInitialized;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowPaused;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowProgress;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowResumed;
import io.voltworkflow.core.event.WorkflowEvent.WorkflowStarted;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.Transition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Mutable state of one workflow, changed only by {@link #apply(EventRecord)}: live execution and replay after a
 * restart go through the same fold, so a recovered workflow is exactly the one that was running. Guarded by its own
 * {@link #lock}: changes to one workflow never wait for another.
 */
final class WorkflowRuntime {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Idempotency-key suffixes by step name. A name's digest never changes and workflows repeat their step names, so
     * hashing once per name instead of once per step takes a digest, its bytes and their hex off every workflow's
     * creation. Cleared when full: that many distinct names is no workload's steady state.
     */
    private static final ConcurrentHashMap<String, String> KEY_SUFFIXES = new ConcurrentHashMap<>();

    private static final int KEY_SUFFIXES_BOUND = 4096;

    final WorkflowId id;
    /** Set by the creation (or a snapshot); {@code null} only while neither is folded: see {@link #requirement()}. */
    @Nullable
    String requirement;

    @Nullable
    JsonNode projectContext;
    /**
     * {@link DefinitionDigest} of the creating definition: how a retried create is told from a conflicting one. Hashed
     * when first asked for (a retried create, a snapshot), not on every create and replay; {@code null} for a workflow
     * from a snapshot written before digests were kept.
     */
    private @Nullable String definitionDigest;
    /** The creating definition while its digest has not been asked for. */
    private @Nullable WorkflowDefinition undigested;

    WorkflowOptions options = WorkflowOptions.DEFAULTS;
    WorkflowState state = WorkflowState.CREATED;
    final List<StepRuntime> steps = new ArrayList<>();
    final Map<String, StepRuntime> byName = new HashMap<>();
    /** Analysis steps: every step may read their output, so they are kept at hand. */
    final List<StepRuntime> analysisSteps = new ArrayList<>(1);

    final ArrayDeque<Transition> history = new ArrayDeque<>();
    final int maxHistory;
    long lastSequence;
    /** When the newest event happened: how long a running workflow has gone without progress. */
    @Nullable
    Instant lastEventAt;

    @Nullable
    Instant createdAt;

    @Nullable
    Instant startedAt;

    @Nullable
    Instant finishedAt;

    @Nullable
    StepError error;

    Usage usage = Usage.NONE;

    @Nullable
    JsonNode result;

    @Nullable
    String progressMessage;

    int completedSteps;
    int runningSteps;
    long retries;
    long repairRounds;
    /** What the code generation and validation attempts of repair rounds consumed. */
    Usage repairUsage = Usage.NONE;

    // Process-local, never persisted.
    /** What the store reports this workflow lost, or {@code null}; the store keeps it durably. */
    io.voltworkflow.core.store.DamageReport.@Nullable WorkflowDamage damage;
    /** The last status view built and the damage it showed: reused while neither an event nor the damage changed. */
    java.lang.ref.@Nullable WeakReference<io.voltworkflow.core.status.WorkflowStatus> lastStatus;

    io.voltworkflow.core.store.DamageReport.@Nullable WorkflowDamage lastStatusDamage;
    /** Guards this workflow and its steps; never held together with another workflow's. */
    final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    /** Events of the current critical section, not yet committed to the journal. */
    final List<EventRecord> pending = new ArrayList<>();
    /** Work to run once the current critical section has ended (engine calls, hooks, future completions). */
    final List<Runnable> deferred = new ArrayList<>();
    /** Durable once every batch this workflow committed so far is. */
    CompletableFuture<Void> lastAppend = CompletableFuture.completedFuture(null);
    /** Asked for in the current critical section: completes with the batch that closes it. Under its lock. */
    @Nullable
    CompletableFuture<Void> emittedDurable;

    int dispatched;
    /** Ready steps waiting for this workflow's own bound, longest remaining path first. */
    final java.util.PriorityQueue<StepRuntime> parked =
            new java.util.PriorityQueue<>(java.util.Comparator.comparingInt((StepRuntime s) -> -s.criticalPath));

    final List<CompletableFuture<io.voltworkflow.core.status.WorkflowStatus>> pauseWaiters = new ArrayList<>();
    final List<CompletableFuture<io.voltworkflow.core.status.WorkflowStatus>> terminationWaiters = new ArrayList<>();
    io.voltworkflow.core.time.TimeSource.@Nullable Timer deadlineTimer;
    long snapshotSequence;
    /**
     * Folded through a {@code history_lost} record since the last snapshot: the state is the one before the loss, and
     * a replay would come back to it, ignoring whatever is stored after the loss, until a snapshot records it.
     */
    boolean foldedPastLoss;

    WorkflowRuntime(WorkflowId id, int maxHistory) {
        this.id = id;
        this.maxHistory = maxHistory;
    }

    StepRuntime step(String name) {
        StepRuntime step = byName.get(name);
        if (step == null) {
            throw new IllegalStateException("workflow " + id + " has no step '" + name + "'");
        }
        return step;
    }

    /** The requirement the workflow was created with; fails for a workflow whose creation was never folded. */
    String requirement() {
        return created(requirement);
    }

    /** The project context the workflow was created with; fails like {@link #requirement()}. */
    JsonNode projectContext() {
        return created(projectContext);
    }

    /** When the workflow was created; fails like {@link #requirement()}. */
    Instant createdAt() {
        return created(createdAt);
    }

    private <T> T created(@Nullable T folded) {
        if (folded == null) {
            throw new IllegalStateException(
                    "workflow " + id + " has no creation: neither its creation event nor a snapshot of it was folded");
        }
        return folded;
    }

    List<StepDefinition> definitions() {
        return steps.stream().map(s -> s.definition).toList();
    }

    /** Folds one event into the state; an event the state does not allow means a corrupt log and is refused. */
    void apply(EventRecord record) {
        lastEventAt = record.timestamp();
        if (record.event() instanceof WorkflowEvent.HistoryLost lost) {
            // The store lost events from here on: the state stays what it was before them, the numbers stay used.
            if (lost.fromSequence() != lastSequence + 1 || record.sequence() < lost.fromSequence()) {
                throw new IllegalStateException("workflow " + id + ": lost events " + lost.fromSequence() + ".."
                        + record.sequence() + " do not follow " + lastSequence);
            }
            lastSequence = record.sequence();
            foldedPastLoss = true;
            return;
        }
        if (record.sequence() != lastSequence + 1) {
            throw new IllegalStateException(
                    "workflow " + id + ": event " + record.sequence() + " follows " + lastSequence);
        }
        Instant at = record.timestamp();
        WorkflowEvent event = record.event();
        if (event instanceof WorkflowCreated e) {
            requirement = e.definition().requirementText();
            undigested = e.definition();
            definitionDigest = null;
            projectContext = e.definition().projectContext();
            options = e.definition().options();
            createdAt = at;
            history.add(new Transition(null, WorkflowState.CREATED, at, "workflow created"));
            addSteps(e.definition().steps());
        } else if (event instanceof WorkflowInitialized e) {
            transition(WorkflowState.INITIALIZED, at, e.reason());
        } else if (event instanceof WorkflowStarted e) {
            transition(WorkflowState.RUNNING, at, e.reason());
            startedAt = at;
        } else if (event instanceof WorkflowProgress e) {
            progressMessage = e.message();
        } else if (event instanceof WorkflowPaused e) {
            transition(WorkflowState.PAUSED, at, e.reason());
        } else if (event instanceof WorkflowResumed e) {
            transition(WorkflowState.RUNNING, at, e.reason());
            error = null;
            finishedAt = null;
            result = null;
            for (String name : e.rerunSteps()) {
                StepRuntime step = step(name);
                if (step.state == StepState.COMPLETED) {
                    // A completion that delivered failing tasks runs again once they are validated again.
                    completedSteps--;
                    for (StepRuntime dependent : step.dependents) {
                        dependent.unfinishedDependencies++;
                    }
                }
                step.state = StepState.PENDING;
                step.attempts = 0;
                step.error = null;
                step.retryAt = null;
            }
        } else if (event instanceof WorkflowCompleted e) {
            transition(WorkflowState.COMPLETED, at, "all steps completed");
            finishedAt = at;
            result = e.result();
        } else if (event instanceof WorkflowFailed e) {
            transition(WorkflowState.FAILED, at, e.error().toString());
            finishedAt = at;
            error = e.error();
            // A workflow whose validation failed still completed its completion step: what it delivered is its result.
            result = completion()
                    .filter(s -> s.state == StepState.COMPLETED)
                    .map(s -> s.output)
                    .orElse(null);
        } else if (event instanceof WorkflowCancelled e) {
            transition(WorkflowState.CANCELLED, at, e.reason());
            finishedAt = at;
        } else if (event instanceof WorkflowExpanded e) {
            addSteps(e.addedSteps());
            e.addedDependencies().forEach((name, deps) -> {
                StepRuntime step = step(name);
                List<String> all = new ArrayList<>(step.definition.dependencies());
                all.addAll(deps);
                step.definition = step.definition.withDependencies(all);
                for (String dep : deps) {
                    StepRuntime dependency = step(dep);
                    dependency.dependents.add(step);
                    if (dependency.state != StepState.COMPLETED) {
                        step.unfinishedDependencies++;
                    }
                }
            });
            computeCriticalPaths();
        } else if (event instanceof StepStarted e) {
            StepRuntime step = step(e.step());
            if (step.state != StepState.RUNNING) {
                runningSteps++;
            }
            step.state = StepState.RUNNING;
            step.attempts = e.attempt();
            step.startedAt = at;
            step.finishedAt = null;
            step.durationMs = null;
            step.progressMessage = null;
            step.retryAt = null;
        } else if (event instanceof StepProgress e) {
            step(e.step()).progressMessage = e.message();
        } else if (event instanceof StepCheckpointed e) {
            step(e.step()).checkpoint = e.checkpoint() == null || e.checkpoint().isNull() ? null : e.checkpoint();
        } else if (event instanceof StepCompleted e) {
            StepRuntime step = finish(e.step(), StepState.COMPLETED, at, e.durationMs(), e.usage());
            step.output = e.output();
            step.error = null;
            step.provenance = e.provenance();
            completedSteps++;
            for (StepRuntime dependent : step.dependents) {
                dependent.unfinishedDependencies--;
            }
        } else if (event instanceof StepRetrying e) {
            StepRuntime step = finish(e.step(), StepState.RETRY_WAIT, at, e.durationMs(), e.usage());
            step.error = e.error();
            step.retryAt = e.retryAt();
            retries++;
        } else if (event instanceof StepFailed e) {
            StepRuntime step = finish(e.step(), StepState.FAILED, at, e.durationMs(), e.usage());
            step.error = e.error();
            if (!e.provenance().isEmpty()) {
                step.provenance = e.provenance();
            }
        } else if (event instanceof RepairRoundStarted e) {
            startRepairRound(e);
        } else if (event instanceof StepCancelled e) {
            StepRuntime step = step(e.step());
            if (step.state == StepState.RUNNING) {
                runningSteps--;
            }
            step.state = StepState.CANCELLED;
            step.finishedAt = at;
            step.error = StepError.recoverable(StepError.CANCELLED, e.reason());
        }

        lastSequence = record.sequence();
    }

    /** The task's code generation and validation go back to pending; the failure travels with the new round. */
    private void startRepairRound(RepairRoundStarted e) {
        StepRuntime codegen = step(e.step());
        StepRuntime validation = step(e.validationStep());
        if (codegen.state != StepState.COMPLETED || validation.state != StepState.FAILED || e.round() < 1) {
            throw new IllegalStateException("workflow " + id + ": repair round " + e.round() + " of '" + e.step()
                    + "' needs a completed code generation and a failed validation, found " + codegen.state.wireName()
                    + " and " + validation.state.wireName());
        }
        codegen.state = StepState.PENDING;
        completedSteps--;
        for (StepRuntime dependent : codegen.dependents) {
            dependent.unfinishedDependencies++;
        }
        codegen.attempts = 0;
        codegen.checkpoint = null;
        codegen.error = null;
        codegen.repairRound = e.round();
        codegen.repair = new io.voltworkflow.core.engine.RepairRound(
                e.round(),
                e.maxRounds(),
                e.validationStep(),
                e.failure(),
                codegen.output == null ? "" : codegen.output.path("patch").asText(""));
        validation.state = StepState.PENDING;
        validation.attempts = 0;
        validation.repairRound = e.round();
        repairRounds++;
    }

    private StepRuntime finish(String name, StepState newState, Instant at, long durationMs, Usage spent) {
        StepRuntime step = step(name);
        if (step.state != StepState.RUNNING) {
            throw new IllegalStateException(
                    "workflow " + id + ": step '" + name + "' finished but was " + step.state.wireName());
        }
        runningSteps--;
        step.state = newState;
        step.finishedAt = at;
        step.durationMs = durationMs;
        step.usage = step.usage.plus(spent);
        usage = usage.plus(spent);
        if (step.repairRound > 0) {
            repairUsage = repairUsage.plus(spent);
        }
        return step;
    }

    private void transition(WorkflowState next, Instant at, String reason) {
        if (!state.canTransitionTo(next)) {
            throw new IllegalStateException(
                    "workflow " + id + ": illegal transition " + state.wireName() + " -> " + next.wireName());
        }
        history.add(new Transition(state, next, at, reason));
        while (history.size() > maxHistory) {
            history.removeFirst();
        }
        state = next;
    }

    private void addSteps(List<StepDefinition> definitions) {
        List<StepRuntime> added = new ArrayList<>(definitions.size());
        for (StepDefinition definition : definitions) {
            added.add(newStep(definition));
        }
        link(added);
    }

    /** Adds a step without linking it; {@link #link} must follow once all steps of the batch exist. */
    StepRuntime newStep(StepDefinition definition) {
        StepRuntime step = new StepRuntime(definition, idempotencyKey(id, definition.name()));
        steps.add(step);
        byName.put(definition.name(), step);
        if (definition.type() == io.voltworkflow.core.model.StepType.ANALYSIS) {
            analysisSteps.add(step);
        }
        return step;
    }

    /** Connects steps to their dependencies and recomputes priorities. */
    void link(List<StepRuntime> added) {
        for (StepRuntime step : added) {
            for (String dep : step.definition.dependencies()) {
                StepRuntime dependency = step(dep);
                dependency.dependents.add(step);
                if (dependency.state != StepState.COMPLETED) {
                    step.unfinishedDependencies++;
                }
            }
        }
        computeCriticalPaths();
    }

    /** Longest path to a sink, in steps; reverse topological order so every dependent is done first. */
    private void computeCriticalPaths() {
        Map<StepRuntime, Integer> remaining = new HashMap<>();
        ArrayDeque<StepRuntime> sinks = new ArrayDeque<>();
        for (StepRuntime step : steps) {
            remaining.put(step, step.dependents.size());
            if (step.dependents.isEmpty()) {
                sinks.add(step);
            }
        }
        while (!sinks.isEmpty()) {
            StepRuntime step = sinks.poll();
            int longest = 0;
            for (StepRuntime dependent : step.dependents) {
                longest = Math.max(longest, dependent.criticalPath);
            }
            step.criticalPath = longest + 1;
            for (String dep : step.definition.dependencies()) {
                StepRuntime dependency = step(dep);
                if (remaining.merge(dependency, -1, Integer::sum) == 0) {
                    sinks.add(dependency);
                }
            }
        }
    }

    /** {@code null} for a workflow from a snapshot written before digests were kept. */
    @Nullable
    String definitionDigest() {
        WorkflowDefinition definition = undigested;
        if (definition != null) {
            definitionDigest = DefinitionDigest.of(definition);
            undigested = null;
        }
        return definitionDigest;
    }

    /** A digest read from a snapshot. */
    void definitionDigest(@Nullable String digest) {
        definitionDigest = digest;
        undigested = null;
    }

    /** Stable per workflow and step, ASCII, header-safe: survives restarts and retries. */
    static String idempotencyKey(WorkflowId id, String stepName) {
        String suffix = KEY_SUFFIXES.get(stepName);
        if (suffix == null) {
            suffix = keySuffix(stepName);
            if (KEY_SUFFIXES.size() >= KEY_SUFFIXES_BOUND) {
                KEY_SUFFIXES.clear();
            }
            KEY_SUFFIXES.put(stepName, suffix);
        }
        return id.value() + "-" + suffix;
    }

    private static String keySuffix(String stepName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(stepName.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    boolean allStepsCompleted() {
        return completedSteps == steps.size();
    }

    /** The workflow's completion step, if it has one. */
    Optional<StepRuntime> completion() {
        for (StepRuntime s : steps) {
            if (s.definition.type() == StepType.COMPLETION) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * A validation step whose verdict was "failed" with no repair round left, or any step but completion that the
     * spent budget refused, in a workflow that goes on to deliver: its task is settled as failing rather than failing
     * the workflow at once.
     */
    static boolean rejected(StepRuntime s) {
        if (s.state != StepState.FAILED || s.error == null || s.definition.type() == StepType.COMPLETION) {
            return false;
        }
        return StepError.BUDGET_EXHAUSTED.equals(s.error.code())
                || (s.definition.type() == StepType.VALIDATION && StepError.VALIDATION_FAILED.equals(s.error.code()));
    }

    /**
     * Why a completed completion step's delivery makes the workflow fail: the validation of the delivered branch's tip
     * (all the tasks together, on the commit reviewers get) did not pass. Empty when it passed or did not run.
     */
    static Optional<StepError> tipValidationFailure(StepRuntime completion) {
        JsonNode output = completion.output;
        if (output == null) {
            return Optional.empty();
        }
        JsonNode delivery = output.path("delivery");
        JsonNode tip = delivery.path("tipValidation");
        if (!tip.isObject() || tip.path("passed").asBoolean(true)) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder("validation of branch ")
                .append(delivery.path("branch").asText())
                .append(" at its tip ")
                .append(delivery.path("headCommit").asText())
                .append(" failed: ")
                .append(tip.path("summary").asText());
        tip.path("findings").forEach(finding -> message.append('\n').append(finding.asText()));
        return Optional.of(StepError.recoverable(StepError.VALIDATION_FAILED, message.toString()));
    }

    /** The rejected validations, in plan order. */
    List<StepRuntime> rejectedValidations() {
        return steps.stream().filter(WorkflowRuntime::rejected).toList();
    }

    /**
     * Whether every step but completion is settled while some validation was rejected: completed, rejected, or
     * waiting on a rejected task (directly or through others), so it can never run. Then nothing will change any more
     * and completion may deliver the outcome although not all its dependencies completed.
     */
    boolean settledWithRejections() {
        Set<StepRuntime> blocked = new HashSet<>();
        for (StepRuntime s : steps) {
            if (rejected(s)) {
                blocked.add(s);
            }
        }
        if (blocked.isEmpty()) {
            return false;
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (StepRuntime s : steps) {
                if (s.state == StepState.PENDING
                        && s.definition.type() != StepType.COMPLETION
                        && !blocked.contains(s)
                        && s.definition.dependencies().stream().map(byName::get).anyMatch(blocked::contains)) {
                    blocked.add(s);
                    grew = true;
                }
            }
        }
        for (StepRuntime s : steps) {
            if (s.definition.type() != StepType.COMPLETION && s.state != StepState.COMPLETED && !blocked.contains(s)) {
                return false;
            }
        }
        return true;
    }
}
