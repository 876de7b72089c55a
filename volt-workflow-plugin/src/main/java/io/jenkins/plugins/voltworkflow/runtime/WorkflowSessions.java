package io.jenkins.plugins.voltworkflow.runtime;

import io.voltworkflow.core.model.WorkflowId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The workflows open on this controller, one {@link BuildWorkflow} per workflow id, shared by every step and page
 * of the build. Opening happens once, whichever step or request comes first (after a restart: the resumed step).
 */
public final class WorkflowSessions {

    private final Map<WorkflowId, BuildWorkflow> open = new ConcurrentHashMap<>();

    public BuildWorkflow openIfAbsent(WorkflowId id, Supplier<BuildWorkflow> opener) {
        return open.computeIfAbsent(id, key -> opener.get());
    }

    public Optional<BuildWorkflow> get(WorkflowId id) {
        return Optional.ofNullable(open.get(id));
    }

    /**
     * Closes every workflow's orchestrator (controller shutdown): the engines' calls stop here and the workflows
     * resume from their stores when the steps resume on the next start.
     */
    public void closeAll() {
        open.keySet().forEach(this::close);
    }

    /** Closes the workflow's orchestrator on this controller (the store keeps everything). */
    public void close(WorkflowId id) {
        BuildWorkflow workflow = open.remove(id);
        if (workflow != null) {
            workflow.close();
        }
    }
}
