package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.model.WorkflowId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The leases this process holds, with the epoch each was acquired at. An append captures the fences of its
 * workflows when it is submitted, so a write queued under a lease that is lost before it commits is refused. One
 * fence per workflow: two owners in one process taking the same workflow (tests do) share the newer epoch.
 */
public final class HeldLeases {
    /** The owner that acquired a workflow's lease and the epoch that acquisition took. */
    public record Fence(String owner, long epoch) {}

    private final Map<WorkflowId, Fence> held = new ConcurrentHashMap<>();

    void acquired(WorkflowId workflowId, Fence fence) {
        held.put(workflowId, fence);
    }

    /** Forgets a lease if it is still the one {@code owner} acquired. */
    void forget(WorkflowId workflowId, String owner) {
        held.computeIfPresent(workflowId, (id, fence) -> fence.owner().equals(owner) ? null : fence);
    }

    /** Forgets a lease that the store cleared itself (its workflow finished) if it is still this fence. */
    void cleared(WorkflowId workflowId, Fence fence) {
        held.remove(workflowId, fence);
    }

    Set<WorkflowId> heldBy(String owner) {
        return held.entrySet().stream()
                .filter(e -> e.getValue().owner().equals(owner))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    boolean holds(WorkflowId workflowId, String owner) {
        Fence fence = held.get(workflowId);
        return fence != null && fence.owner().equals(owner);
    }

    /** The fences of those of the workflows this process holds a lease on. */
    public Map<WorkflowId, Fence> fencesOf(Collection<WorkflowId> workflowIds) {
        Map<WorkflowId, Fence> fences = new HashMap<>();
        for (WorkflowId id : workflowIds) {
            Fence fence = held.get(id);
            if (fence != null) {
                fences.put(id, fence);
            }
        }
        return Map.copyOf(fences);
    }
}
