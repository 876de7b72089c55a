package io.voltworkflow.core;

import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.internal.DefaultWorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.status.WorkflowAnalytics;
import io.voltworkflow.core.status.WorkflowMetrics;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Creates and runs workflows. Opening an orchestrator on a store resumes every workflow that was running when the
 * store was last used. Lifecycle calls return at once with the resulting status; the futures of
 * {@link #pauseWorkflow} and {@link #awaitTermination} complete when the work has actually stopped.
 *
 * <p>Errors: an unknown id raises {@link WorkflowNotFoundException}; a call the workflow's state does not allow
 * raises {@link IllegalTransitionException}; an invalid definition raises
 * {@link io.voltworkflow.core.model.InvalidWorkflowException}. None of them changes anything.
 */
public interface WorkflowOrchestrator extends AutoCloseable {

    /** The spec's {@code createWorkflowOrchestrator}: opens the store and resumes its non-terminal workflows. */
    static WorkflowOrchestrator create(OrchestratorOptions options) {
        return DefaultWorkflowOrchestrator.open(options);
    }

    /**
     * Creates the standard plan for a requirement: analysis, task creation, then per task code generation and
     * validation, then completion. {@code projectContext} values must be JSON-compatible (strings, numbers,
     * booleans, lists, maps).
     */
    WorkflowStatus createWorkflow(String requirementText, Map<String, ?> projectContext, WorkflowOptions options);

    /**
     * Creates a workflow from an explicit DAG (custom steps included). Idempotent for caller-chosen ids: when a
     * workflow with the id exists and was created from an equal definition, its current status is returned unchanged
     * (whatever its state); a different definition raises {@link DuplicateWorkflowException}.
     */
    WorkflowStatus createWorkflow(WorkflowDefinition definition);

    WorkflowStatus startWorkflow(WorkflowId id);

    WorkflowStatus getWorkflowStatus(WorkflowId id);

    List<WorkflowStatus> listWorkflows(WorkflowQuery query);

    /**
     * Stops dispatching new steps at once (the state becomes {@code paused}); steps already running finish. The
     * future completes when none is running any more.
     */
    CompletableFuture<WorkflowStatus> pauseWorkflow(WorkflowId id);

    /** Resumes a paused workflow, or a failed one by re-running its failed steps (completed steps are kept). */
    WorkflowStatus resumeWorkflow(WorkflowId id);

    /** Cancels: running steps and their engine calls are interrupted; nothing runs afterwards. */
    WorkflowStatus cancelWorkflow(WorkflowId id, String reason);

    /** Completes when the workflow is completed, failed or cancelled. */
    CompletableFuture<WorkflowStatus> awaitTermination(WorkflowId id);

    WorkflowAnalytics getWorkflowAnalytics();

    WorkflowMetrics getWorkflowMetrics(WorkflowId id);

    /** Queue depth, running steps and event backlog, for operations dashboards. */
    io.voltworkflow.core.status.DispatchStats dispatchStats();

    /**
     * Cumulative attempt counters, step duration histograms, spending, budget pressure, stalled workflows and store
     * failures, for monitoring systems (the server's {@code /metrics}).
     */
    io.voltworkflow.core.status.OperationalStats operationalStats();

    /**
     * Damage the store found in its own files: workflows with lost events and unreadable bytes, reported until an
     * operator acknowledges them.
     */
    io.voltworkflow.core.store.DamageReport storeDamage();

    /** Records that an operator has seen the store's damage; the lost ranges stay in the workflows' history. */
    io.voltworkflow.core.store.DamageReport acknowledgeStoreDamage();

    /** Events of one type from every workflow, from now on. */
    Subscription on(EventType type, EventListener listener);

    /** Every event of every workflow, from now on. */
    Subscription onAny(EventListener listener);

    /**
     * Every event of one workflow with sequence greater than {@code afterSequence}: first those already stored, then
     * live ones, in order, each exactly once, never dropped (a slow listener is fed from the store).
     */
    Subscription subscribe(WorkflowId id, long afterSequence, EventListener listener);

    /**
     * Why this orchestrator's store cannot serve now (see {@link io.voltworkflow.core.store.WorkflowStore#unavailability});
     * empty when it can.
     */
    default java.util.Optional<String> storeUnavailability() {
        return java.util.Optional.empty();
    }

    /** Stored events of one workflow after a sequence number. */
    List<EventRecord> events(WorkflowId id, long afterSequence, int limit);

    /**
     * Stops dispatching, lets running steps finish for up to {@code grace}, then interrupts the rest without recording
     * them as cancelled (they are re-issued, with the same idempotency key, when the store is opened again), flushes
     * and closes the store.
     */
    void shutdown(java.time.Duration grace);

    /** {@link #shutdown} with no grace: running steps are re-issued on reopen. */
    @Override
    default void close() {
        shutdown(java.time.Duration.ZERO);
    }
}
