package io.voltworkflow.core;

import io.voltworkflow.core.model.WorkflowId;

/**
 * A workflow with the caller-chosen id exists already with a different definition (requirement, project context,
 * steps or options); nothing was created. The same definition again returns the existing workflow instead.
 */
public final class DuplicateWorkflowException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DuplicateWorkflowException(WorkflowId id) {
        super("a workflow with id '" + id + "' exists already with a different definition");
    }
}
