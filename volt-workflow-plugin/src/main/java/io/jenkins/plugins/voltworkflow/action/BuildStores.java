package io.jenkins.plugins.voltworkflow.action;

import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import java.nio.file.Path;

/** Where a build keeps its workflow: the one place that chooses the store. */
final class BuildStores {

    private BuildStores() {}

    /**
     * The core's durable file store in the build's directory: opening it again after a controller restart resumes
     * the workflow, and it is deleted with the build.
     */
    static WorkflowStore open(Path workflowDirectory) {
        return new FileWorkflowStore(workflowDirectory.resolve("store"));
    }
}
