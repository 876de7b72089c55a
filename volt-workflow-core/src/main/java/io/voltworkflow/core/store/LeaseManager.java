package io.voltworkflow.core.store;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Ownership for stores shared by several orchestrator instances: each workflow is run by exactly one instance at a
 * time, which holds a lease it renews; when an instance dies its leases expire and another instance takes over.
 * Stores used by a single process do not need it.
 */
public interface LeaseManager {
    /** Takes the lease if free or expired; {@code false} if another live owner holds it. */
    boolean tryAcquire(WorkflowId workflowId, String owner, Duration ttl);

    /**
     * Like {@link #tryAcquire}, and also says how far the store's records of the workflow reach at that moment, so
     * a caller creating a workflow the store has never seen need not read it back. A store that cannot say in the
     * same request answers {@link Acquisition#lastSequence()} empty.
     */
    default Acquisition acquire(WorkflowId workflowId, String owner, Duration ttl) {
        return new Acquisition(tryAcquire(workflowId, owner, ttl), OptionalLong.empty());
    }

    /** Extends every lease {@code owner} holds; returns the workflows whose lease it lost. */
    List<WorkflowId> renewAll(String owner, Duration ttl);

    void release(WorkflowId workflowId, String owner);

    /** Non-terminal workflows with no live owner, oldest first. */
    List<WorkflowId> orphaned(int limit);

    /**
     * Whether the lease was taken, and the last sequence the store held for the workflow when it was (a snapshot
     * counts as its sequence; {@code 0}: nothing stored), if the store reported it.
     */
    record Acquisition(boolean held, OptionalLong lastSequence) {
        /** Held, and the store reported that it holds nothing of the workflow. */
        public boolean heldWithNothingStored() {
            return held && lastSequence.isPresent() && lastSequence.getAsLong() == 0;
        }
    }
}
