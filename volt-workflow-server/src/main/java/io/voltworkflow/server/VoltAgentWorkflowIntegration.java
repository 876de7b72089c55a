package io.voltworkflow.server;

import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.mcp.WorkflowTools;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's complete integration: create-and-start with monitoring, status with live updates, and the agent tool.
 * Built on an orchestrator the caller owns ({@link #VoltAgentWorkflowIntegration(WorkflowOrchestrator)}) or one it
 * opens and closes itself ({@link #open(OrchestratorOptions)}).
 */
public final class VoltAgentWorkflowIntegration implements AutoCloseable {
    private final WorkflowOrchestrator orchestrator;
    private final boolean ownsOrchestrator;
    private final WorkflowMonitor monitor;

    public VoltAgentWorkflowIntegration(WorkflowOrchestrator orchestrator) {
        this(orchestrator, false, new WorkflowMonitor(orchestrator));
    }

    public VoltAgentWorkflowIntegration(WorkflowOrchestrator orchestrator, WorkflowMonitor monitor) {
        this(orchestrator, false, monitor);
    }

    private VoltAgentWorkflowIntegration(WorkflowOrchestrator orchestrator, boolean owns, WorkflowMonitor monitor) {
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.ownsOrchestrator = owns;
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /** Opens an orchestrator (engines, store, task storage from {@code options}) that {@link #close()} closes. */
    public static VoltAgentWorkflowIntegration open(OrchestratorOptions options) {
        WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(options);
        return new VoltAgentWorkflowIntegration(orchestrator, true, new WorkflowMonitor(orchestrator));
    }

    public StartedWorkflow createAndStartWorkflow(String requirement, Map<String, ?> projectContext) {
        return createAndStartWorkflow(requirement, projectContext, WorkflowOptions.DEFAULTS);
    }

    /** Creates the standard plan, starts it and monitors it until {@link StartedWorkflow#stopMonitoring()} stops. */
    public StartedWorkflow createAndStartWorkflow(
            String requirement, Map<String, ?> projectContext, WorkflowOptions options) {
        WorkflowStatus created = orchestrator.createWorkflow(requirement, projectContext, options);
        StopHandle monitoring = monitor.startMonitoring(created.workflowId());
        orchestrator.startWorkflow(created.workflowId());
        return new StartedWorkflow(created.workflowId(), monitoring);
    }

    /**
     * The current status, and from then on every event after it (sequence {@code status.lastSequence()}), in order and
     * exactly once, until {@link StatusWithUpdates#unsubscribe()}.
     */
    public StatusWithUpdates getWorkflowStatusWithUpdates(WorkflowId workflowId, EventListener updates) {
        WorkflowStatus status = orchestrator.getWorkflowStatus(workflowId);
        Subscription subscription = orchestrator.subscribe(workflowId, status.lastSequence(), updates);
        return new StatusWithUpdates(status, subscription::close);
    }

    /**
     * The agent tool (the spec's {@code createWorkflowTool}): the REST operations (create, start, status, list, pause,
     * resume, cancel, analytics) as MCP tools, to add to an MCP server built with the MCP Java SDK. {@link CicdServer}
     * serves the same tools at {@code /mcp}.
     */
    public List<McpStatelessServerFeatures.SyncToolSpecification> createWorkflowTools() {
        return WorkflowTools.specifications(orchestrator);
    }

    public WorkflowOrchestrator orchestrator() {
        return orchestrator;
    }

    public WorkflowMonitor monitor() {
        return monitor;
    }

    /** Stops monitoring; closes the orchestrator if this integration opened it. */
    @Override
    public void close() {
        monitor.close();
        if (ownsOrchestrator) {
            orchestrator.close();
        }
    }

    /** A started workflow and the handle that stops its monitoring (the workflow keeps running). */
    public record StartedWorkflow(WorkflowId workflowId, StopHandle stopMonitoring) {}

    /** A status and the handle that ends its updates. */
    public record StatusWithUpdates(WorkflowStatus status, StopHandle unsubscribe) {}
}
