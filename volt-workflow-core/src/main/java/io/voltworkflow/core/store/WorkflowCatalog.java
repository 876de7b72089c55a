package io.voltworkflow.core.store;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.status.WorkflowQuery;
import java.util.List;

/**
 * Every workflow a store shared by several instances holds, whichever instance runs it: lists are read from it, so
 * any instance lists them all. Stores used by one process do not need it: their workflows are in its memory.
 */
public interface WorkflowCatalog {
    /**
     * The ids of the stored workflows in {@code query}'s states (any when empty) that carry its label (the key, or
     * the key with that value), newest first, then by id; the page {@code query} asks for. States are as last stored.
     */
    List<WorkflowId> list(WorkflowQuery query);
}
