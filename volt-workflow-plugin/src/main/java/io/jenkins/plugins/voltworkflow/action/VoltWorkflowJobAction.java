package io.jenkins.plugins.voltworkflow.action;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.voltworkflow.history.JobHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's workflow history: outcome, duration, tasks and cost of the workflows of its recent builds, with the
 * success rate and average duration, read from the summaries saved with each build.
 */
public final class VoltWorkflowJobAction implements Action {

    static final int RECENT_BUILDS = 30;

    private final Job<?, ?> job;

    VoltWorkflowJobAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    public JobHistory getHistory() {
        List<JobHistory.Entry> entries = new ArrayList<>();
        Run<?, ?> run = job.getLastBuild();
        for (int seen = 0; run != null && seen < RECENT_BUILDS; seen++, run = run.getPreviousBuild()) {
            for (VoltWorkflowAction action : run.getActions(VoltWorkflowAction.class)) {
                if (action.getSummary() != null) {
                    entries.add(new JobHistory.Entry(
                            run.getNumber(),
                            run.getUrl() + action.getUrlName() + "/",
                            action.getWorkflowName(),
                            action.getSummary()));
                }
            }
        }
        return new JobHistory(entries);
    }

    @Override
    public String getIconFileName() {
        return "symbol-git-network-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return "Volt Workflow history";
    }

    @Override
    public String getUrlName() {
        return VoltWorkflowAction.URL_NAME;
    }
}
