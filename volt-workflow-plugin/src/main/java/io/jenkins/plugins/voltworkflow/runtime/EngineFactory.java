package io.jenkins.plugins.voltworkflow.runtime;

import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.engine.Engines;

/** Builds the engines of one workflow from its request; the host supplies credentials and workspaces. */
@FunctionalInterface
public interface EngineFactory {

    /**
     * @throws IllegalArgumentException when an engine cannot be built (unknown credentials, unsupported type),
     *         naming the engine and never a secret
     */
    Engines create(WorkflowRequest request, WorkspaceBroker workspaces);
}
