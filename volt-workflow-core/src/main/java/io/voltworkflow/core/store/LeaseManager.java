package io.voltworkflow.core.store;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Duration;
import java.util.List;

/**
 * Ownership for stores shared by several orchestrator instances: each workflow is run by exactly one instance at a
 * time, which holds a lease it renews; when an instance dies its leases expire and another instance takes over.
 * Stores used by a single process do not need it.
 */
public interface LeaseManager {
    /** Takes the lease if free or expired; {@code false} if another live owner holds it. */
    boolean tryAcquire(WorkflowId workflowId, String owner, Duration ttl);

    /** Extends every lease {@code owner} holds; returns the workflows whose lease it lost. */
    List<WorkflowId> renewAll(String owner, Duration ttl);

    void release(WorkflowId workflowId, String owner);

    /** Non-terminal workflows with no live owner, oldest first. */
    List<WorkflowId> orphaned(int limit);
}
