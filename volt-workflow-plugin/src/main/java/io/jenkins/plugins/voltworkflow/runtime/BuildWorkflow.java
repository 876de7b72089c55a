package io.jenkins.plugins.voltworkflow.runtime;

import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.WorkflowStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One workflow of one build, live on this controller: an orchestrator on the store in the build's directory, so
 * that opening it again after a restart resumes the workflow where it stopped (jobs already submitted to an
 * engine are polled, not submitted again). Shared by every Pipeline step of the build that names this workflow.
 */
public final class BuildWorkflow implements AutoCloseable {

    private final WorkflowId id;
    private final WorkflowRequest request;
    private final WorkflowOrchestrator orchestrator;
    private final WorkspaceBroker workspaces;

    private BuildWorkflow(
            WorkflowId id, WorkflowRequest request, WorkflowOrchestrator orchestrator, WorkspaceBroker workspaces) {
        this.id = id;
        this.request = request;
        this.orchestrator = orchestrator;
        this.workspaces = workspaces;
    }

    /**
     * Opens the orchestrator on the store; a workflow already in the store resumes by itself. The store is the
     * orchestrator's from here on: when the engines cannot be built (a bad URL, an unknown credential), it is closed
     * before the error goes up, or its lock and writer thread would stay in the controller until it restarts and no
     * later step or page of the build could open it.
     */
    public static BuildWorkflow open(
            WorkflowId id, WorkflowRequest request, WorkflowStore store, EngineFactory engines) {
        return open(id, request, store, engines, false);
    }

    /**
     * As {@link #open(WorkflowId, WorkflowRequest, WorkflowStore, EngineFactory)}; {@code workspaceFollows}: the
     * opening step lends its workspace right after (a step resumed inside {@code node {}} after a restart), so the
     * validations the workflow resumes meanwhile wait for it without asking for a {@code node {}}.
     */
    public static BuildWorkflow open(
            WorkflowId id,
            WorkflowRequest request,
            WorkflowStore store,
            EngineFactory engines,
            boolean workspaceFollows) {
        try {
            WorkspaceBroker workspaces = new WorkspaceBroker();
            if (workspaceFollows) {
                workspaces.expectOffer();
            }
            Engines built = engines.create(request, workspaces);
            WorkflowLimits limits = request.limits();
            OrchestratorOptions options = OrchestratorOptions.builder()
                    .store(store)
                    .engines(built)
                    .maxConcurrentSteps(limits.maxConcurrentSteps())
                    .stepTimeout(limits.stepTimeout())
                    .retryPolicy(RetryPolicy.builder()
                            .maxRetries(limits.maxRetries())
                            .build())
                    .build();
            return new BuildWorkflow(id, request, WorkflowOrchestrator.create(options), workspaces);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public WorkflowId id() {
        return id;
    }

    public WorkflowRequest request() {
        return request;
    }

    public WorkspaceBroker workspaces() {
        return workspaces;
    }

    /**
     * Creates and starts the workflow unless it exists (idempotent: the id is the build's). With
     * {@code retryFailed}, a workflow that failed re-runs its failed steps, as {@code retry { voltWorkflow ... }}
     * expects; steps that completed are kept.
     */
    public WorkflowStatus ensureStarted(boolean retryFailed) {
        WorkflowStatus status;
        try {
            status = orchestrator.getWorkflowStatus(id);
        } catch (WorkflowNotFoundException e) {
            WorkflowOptions options = WorkflowOptions.builder()
                    .workflowId(id)
                    .maxConcurrentSteps(request.limits().maxConcurrentSteps())
                    .budget(new Budget(0, request.limits().budgetUsd().orElse(0.0)))
                    .labels(Map.of("host", "jenkins", "workflowName", request.name()))
                    .build();
            status = orchestrator.createWorkflow(request.requirement(), request.projectContext(), options);
        }
        if (status.state() == WorkflowState.CREATED || status.state() == WorkflowState.INITIALIZED) {
            status = orchestrator.startWorkflow(id);
        } else if (retryFailed && status.state() == WorkflowState.FAILED) {
            status = orchestrator.resumeWorkflow(id);
        }
        return status;
    }

    public WorkflowStatus status() {
        return orchestrator.getWorkflowStatus(id);
    }

    /**
     * Completes with the status in which the milestone was reached, or exceptionally with a
     * {@link MilestoneMissedException} once it cannot be reached any more.
     */
    public CompletableFuture<WorkflowStatus> await(Milestone milestone) {
        CompletableFuture<WorkflowStatus> result = new CompletableFuture<>();
        WorkflowStatus now = status();
        if (settle(milestone, now, result)) {
            return result;
        }
        Subscription subscription = orchestrator.subscribe(id, now.lastSequence(), event -> {
            if (!result.isDone()) {
                settle(milestone, status(), result);
            }
        });
        result.whenComplete((status, error) -> subscription.close());
        return result;
    }

    private static boolean settle(
            Milestone milestone, WorkflowStatus status, CompletableFuture<WorkflowStatus> result) {
        Milestone.Outcome outcome = milestone.evaluate(status);
        if (outcome instanceof Milestone.Outcome.Reached) {
            return result.complete(status);
        }
        if (outcome instanceof Milestone.Outcome.Missed missed) {
            return result.completeExceptionally(new MilestoneMissedException(missed.reason(), status));
        }
        return false;
    }

    /**
     * This workflow's events from now on, including before it is created; a listener that falls behind may miss
     * some, so it should read the status rather than count on every event.
     */
    public Subscription onEvents(EventListener listener) {
        return orchestrator.onAny(event -> {
            if (event.workflowId().equals(id)) {
                listener.onEvent(event);
            }
        });
    }

    /** Every event after {@code afterSequence}, stored ones first, then live ones, none missed; the workflow must exist. */
    public Subscription follow(long afterSequence, EventListener listener) {
        return orchestrator.subscribe(id, afterSequence, listener);
    }

    public List<EventRecord> events(long afterSequence, int limit) {
        return orchestrator.events(id, afterSequence, limit);
    }

    public CompletableFuture<WorkflowStatus> pause() {
        return orchestrator.pauseWorkflow(id);
    }

    public WorkflowStatus resume() {
        return orchestrator.resumeWorkflow(id);
    }

    public WorkflowStatus cancel(String reason) {
        return orchestrator.cancelWorkflow(id, reason);
    }

    /** Stops this controller's work on the workflow; it resumes when opened again on the same store. */
    @Override
    public void close() {
        orchestrator.close();
    }

    /** The milestone a step waited for can no longer be reached; the message says why. */
    public static final class MilestoneMissedException extends CompletionException {
        private static final long serialVersionUID = 1L;
        private final transient WorkflowStatus status;

        public MilestoneMissedException(String reason, WorkflowStatus status) {
            super(reason);
            this.status = status;
        }

        public WorkflowStatus status() {
            return status;
        }
    }
}
