package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.model.WorkflowId;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Every workflow's {@link WorkflowLog}, remembering the order in which workflows first appeared. */
public final class LogIndex {
    private final ConcurrentHashMap<WorkflowId, WorkflowLog> logs = new ConcurrentHashMap<>();
    private final AtomicLong creations = new AtomicLong();

    /** The workflow's log, or {@code null} if the store never saw it. */
    public @Nullable WorkflowLog get(WorkflowId id) {
        return logs.get(id);
    }

    public WorkflowLog getOrCreate(WorkflowId id) {
        return logs.computeIfAbsent(id, key -> new WorkflowLog(key, creations.getAndIncrement()));
    }

    /** Workflows with at least one durable record, oldest first. */
    public List<WorkflowLog> durableLogs() {
        return logs.values().stream()
                .filter(log -> !log.isEmpty())
                .sorted(Comparator.comparingLong(WorkflowLog::creationOrder))
                .toList();
    }
}
