package io.voltworkflow.server;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;

/** Entry points named as in the spec: {@code createWorkflowOrchestrator} and {@code createCICDServer}. */
public final class VoltWorkflow {
    private VoltWorkflow() {}

    /** Opens an orchestrator; it resumes the store's unfinished workflows. */
    public static WorkflowOrchestrator createWorkflowOrchestrator(OrchestratorOptions options) {
        return WorkflowOrchestrator.create(options);
    }

    /** Opens an orchestrator and serves it; closing the server closes the orchestrator. */
    public static CicdServer createCICDServer(ServerOptions serverOptions, OrchestratorOptions orchestratorOptions) {
        return CicdServer.start(WorkflowOrchestrator.create(orchestratorOptions), serverOptions, true);
    }

    /** Serves an orchestrator the caller keeps owning (close it after the server). */
    public static CicdServer createCICDServer(WorkflowOrchestrator orchestrator, ServerOptions serverOptions) {
        return CicdServer.start(orchestrator, serverOptions, false);
    }
}
