package io.jenkins.plugins.voltworkflow.step;

import jenkins.model.CauseOfInterruption;

/** Why a build was aborted: its Volt workflow was cancelled (from the workflow page or the API). */
final class WorkflowCancelled extends CauseOfInterruption {

    private static final long serialVersionUID = 1L;

    private final String reason;

    WorkflowCancelled(String reason) {
        this.reason = reason;
    }

    @Override
    public String getShortDescription() {
        return "Volt: " + reason;
    }
}
