package io.voltworkflow.core;

import io.voltworkflow.core.model.WorkflowId;

public final class WorkflowNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkflowNotFoundException(WorkflowId id) {
        super("no workflow with id '" + id + "'");
    }
}
