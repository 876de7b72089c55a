package io.voltworkflow.core.store;

import io.voltworkflow.core.model.WorkflowId;
import java.util.Objects;

/**
 * A write refused because the writer no longer holds the workflow's lease: it expired, was released, or another
 * instance took it (a newer lease epoch). Nothing of the write was stored. Not retryable by the same writer: the
 * instance must stop running the workflow; whoever holds the lease now continues from the stored log.
 */
public final class LeaseLostException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient WorkflowId workflowId;

    public LeaseLostException(WorkflowId workflowId, String message) {
        super(message);
        this.workflowId = Objects.requireNonNull(workflowId, "workflowId");
    }

    public WorkflowId workflowId() {
        return workflowId;
    }
}
