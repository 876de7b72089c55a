package io.jenkins.plugins.voltworkflow.action;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;

/**
 * When a build finishes, its workflows stop running on this controller: one still active (the Jenkinsfile never
 * waited for it, or the build was aborted) is cancelled, and the final status is saved with the build.
 */
@Extension
public final class WorkflowRunListener extends RunListener<Run<?, ?>> {

    @Override
    public void onCompleted(Run<?, ?> run, TaskListener listener) {
        for (VoltWorkflowAction action : run.getActions(VoltWorkflowAction.class)) {
            action.closeSession("the build finished");
        }
    }
}
