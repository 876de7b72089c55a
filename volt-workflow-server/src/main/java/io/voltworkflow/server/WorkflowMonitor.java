package io.voltworkflow.server;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.status.WorkflowMetrics;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real-time monitoring of chosen workflows (the spec's {@code WorkflowMonitor}). While a workflow is monitored every
 * one of its events, from the start, reaches the listener in order; without a listener, progress and outcomes are
 * logged. Figures come from {@link #getWorkflowMetrics}.
 */
public final class WorkflowMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowMonitor.class);

    private final WorkflowOrchestrator orchestrator;
    private final EventListener listener;
    private final Map<WorkflowId, Subscription> monitored = new ConcurrentHashMap<>();

    /** Logs progress of monitored workflows. */
    public WorkflowMonitor(WorkflowOrchestrator orchestrator) {
        this(orchestrator, WorkflowMonitor::log);
    }

    /** Hands every event of monitored workflows to {@code listener} (on the event delivery thread). */
    public WorkflowMonitor(WorkflowOrchestrator orchestrator, EventListener listener) {
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Starts monitoring (a second call for the same workflow keeps the first). Raises
     * {@link io.voltworkflow.core.WorkflowNotFoundException} for an unknown workflow.
     */
    public StopHandle startMonitoring(WorkflowId workflowId) {
        orchestrator.getWorkflowStatus(workflowId);
        monitored.computeIfAbsent(workflowId, id -> orchestrator.subscribe(id, 0, listener));
        return () -> stopMonitoring(workflowId);
    }

    public void stopMonitoring(WorkflowId workflowId) {
        Subscription subscription = monitored.remove(workflowId);
        if (subscription != null) {
            subscription.close();
        }
    }

    public Set<WorkflowId> monitoredWorkflows() {
        return Set.copyOf(monitored.keySet());
    }

    public WorkflowMetrics getWorkflowMetrics(WorkflowId workflowId) {
        return orchestrator.getWorkflowMetrics(workflowId);
    }

    /** Stops monitoring everything; the orchestrator stays open. */
    @Override
    public void close() {
        monitoredWorkflows().forEach(this::stopMonitoring);
    }

    private static void log(EventRecord record) {
        WorkflowEvent event = record.event();
        if (event instanceof WorkflowEvent.WorkflowProgress progress) {
            LOG.info("{}: {}% {}", record.workflowId(), progress.percent(), progress.message());
        } else if (event instanceof WorkflowEvent.WorkflowCompleted
                || event instanceof WorkflowEvent.WorkflowFailed
                || event instanceof WorkflowEvent.WorkflowCancelled) {
            LOG.info("{}: {}", record.workflowId(), record.type().wireName());
        }
    }
}
