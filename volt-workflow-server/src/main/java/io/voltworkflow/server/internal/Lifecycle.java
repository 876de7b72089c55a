package io.voltworkflow.server.internal;

import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Lifecycle calls shared by the REST API and the MCP tools. */
public final class Lifecycle {
    private Lifecycle() {}

    /**
     * Starts a just-created workflow, once: a retried create (same chosen id) may find it started or finished already,
     * and then answers with it as it is.
     */
    public static WorkflowStatus startOnce(WorkflowOrchestrator orchestrator, WorkflowStatus created) {
        if (created.state() != WorkflowState.INITIALIZED) {
            return created;
        }
        try {
            return orchestrator.startWorkflow(created.workflowId());
        } catch (IllegalTransitionException e) {
            // A concurrent retry of the same request started it first: the answer is the same workflow.
            return orchestrator.getWorkflowStatus(created.workflowId());
        }
    }

    /**
     * Pauses and returns at once with the paused status (running steps finish in the background); a refusal is
     * raised here, whether the orchestrator raised it directly or through the future.
     */
    public static WorkflowStatus pause(WorkflowOrchestrator orchestrator, WorkflowId id) {
        CompletableFuture<WorkflowStatus> stopped = orchestrator.pauseWorkflow(id);
        if (stopped.isCompletedExceptionally()) {
            try {
                stopped.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return orchestrator.getWorkflowStatus(id);
    }
}
