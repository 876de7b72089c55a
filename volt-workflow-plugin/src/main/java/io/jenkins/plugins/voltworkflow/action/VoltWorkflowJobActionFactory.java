package io.jenkins.plugins.voltworkflow.action;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/** Adds the workflow history to every job whose last build ran a workflow. */
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
        boolean ranWorkflow = job.getLastBuild() != null
                && !job.getLastBuild().getActions(VoltWorkflowAction.class).isEmpty();
        return ranWorkflow ? List.of(new VoltWorkflowJobAction(job)) : List.of();
    }
}
