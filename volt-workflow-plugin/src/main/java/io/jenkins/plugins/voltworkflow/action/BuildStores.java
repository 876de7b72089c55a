package io.jenkins.plugins.voltworkflow.action;

import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.WorkflowStore;
import java.nio.file.Path;

/** Where a build keeps its workflow: the one place that chooses the store. */
final class BuildStores {

    private BuildStores() {
    }

    /**
     * The store in the build's directory. Until volt-workflow-core ships its file store this is in memory, so a
     * controller restart loses a running workflow; switching is this one line.
     */
    static WorkflowStore open(Path directory) {
        return new InMemoryWorkflowStore();
    }
}
