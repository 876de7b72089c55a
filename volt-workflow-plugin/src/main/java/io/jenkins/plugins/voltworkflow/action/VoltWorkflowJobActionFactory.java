package io.jenkins.plugins.voltworkflow.action;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/** Adds the workflow history to every job one of whose recent builds ran a workflow. */
@Extension
@SuppressWarnings("rawtypes") // the extension point is declared for the raw Job type
public final class VoltWorkflowJobActionFactory extends TransientActionFactory<Job> {

    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @Override
    public Collection<? extends Action> createFor(Job target) {
        Job<?, ?> job = target;
        boolean ranWorkflow = false;
        Run<?, ?> run = job.getLastBuild();
        for (int seen = 0;
                run != null && seen < VoltWorkflowJobAction.RECENT_BUILDS && !ranWorkflow;
                seen++, run = run.getPreviousBuild()) {
            ranWorkflow = !run.getActions(VoltWorkflowAction.class).isEmpty();
        }
        return ranWorkflow ? List.of(new VoltWorkflowJobAction(job)) : List.of();
    }
}
