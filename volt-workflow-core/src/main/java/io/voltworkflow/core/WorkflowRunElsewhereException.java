package io.voltworkflow.core;

import io.voltworkflow.core.model.WorkflowId;

/**
 * A control request (start, pause, resume, cancel) for a workflow that another instance sharing the store runs
 * now: only the holder of a workflow's lease changes it. Retryable: send it to that instance, or again once the
 * lease passes (an instance that dies loses its leases after their time to live).
 */
public final class WorkflowRunElsewhereException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient WorkflowId workflowId;

    public WorkflowRunElsewhereException(WorkflowId workflowId) {
        super("workflow " + workflowId + " is run by another instance now; retry there, or here once its lease passes");
        this.workflowId = workflowId;
    }

    public WorkflowId workflowId() {
        return workflowId;
    }
}
