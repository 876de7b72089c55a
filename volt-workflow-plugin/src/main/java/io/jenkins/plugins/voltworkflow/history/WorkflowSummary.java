package io.jenkins.plugins.voltworkflow.history;

import io.jenkins.plugins.voltworkflow.runtime.PlanView;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import java.io.Serializable;
import java.time.Duration;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * What the build remembers of its workflow, kept in build.xml with the build action: plain fields only (XStream and
 * the JEP-200 class filter accept them), enough for the summary card and the job's history without opening the
 * workflow store.
 */
@ExportedBean(defaultVisibility = 2)
public final class WorkflowSummary implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String workflowId;
    private final String state;
    private final int totalSteps;
    private final int completedSteps;
    private final int failedSteps;
    private final int tasks;
    private final int retries;
    private final long durationMs;
    private final double costUsd;
    private final String error;

    private WorkflowSummary(
            String workflowId,
            String state,
            int totalSteps,
            int completedSteps,
            int failedSteps,
            int tasks,
            int retries,
            long durationMs,
            double costUsd,
            String error) {
        this.workflowId = workflowId;
        this.state = state;
        this.totalSteps = totalSteps;
        this.completedSteps = completedSteps;
        this.failedSteps = failedSteps;
        this.tasks = tasks;
        this.retries = retries;
        this.durationMs = durationMs;
        this.costUsd = costUsd;
        this.error = error;
    }

    public static WorkflowSummary of(WorkflowStatus status) {
        int failed = 0;
        int retries = 0;
        for (StepStatus step : status.steps()) {
            if (step.state() == StepState.FAILED) {
                failed++;
            }
            retries += Math.max(0, step.attempts() - 1);
        }
        long duration = status.startedAt() == null
                ? 0
                : Duration.between(
                                status.startedAt(),
                                status.finishedAt() != null ? status.finishedAt() : status.startedAt())
                        .toMillis();
        StepError error = status.error();
        return new WorkflowSummary(
                status.workflowId().value(),
                status.state().wireName(),
                status.progress().totalSteps(),
                status.progress().completedSteps(),
                failed,
                PlanView.tasks(status).size(),
                retries,
                duration,
                status.usage().costUsd(),
                error == null ? null : error.code() + ": " + error.message());
    }

    @Exported
    public String getWorkflowId() {
        return workflowId;
    }

    /** The wire name of the workflow state: {@code running}, {@code completed}, ... */
    @Exported
    public String getState() {
        return state;
    }

    public boolean isFinished() {
        return state.equals("completed") || state.equals("failed") || state.equals("cancelled");
    }

    @Exported
    public int getTotalSteps() {
        return totalSteps;
    }

    @Exported
    public int getCompletedSteps() {
        return completedSteps;
    }

    @Exported
    public int getFailedSteps() {
        return failedSteps;
    }

    @Exported
    public int getTasks() {
        return tasks;
    }

    @Exported
    public int getRetries() {
        return retries;
    }

    /** From start to finish; 0 until the workflow finished. */
    @Exported
    public long getDurationMs() {
        return durationMs;
    }

    @Exported
    public double getCostUsd() {
        return costUsd;
    }

    /** The workflow's error (code and message), or {@code null}. Untrusted text: render escaped. */
    @Exported
    public String getError() {
        return error;
    }

    @Exported
    public int getPercent() {
        return totalSteps == 0 ? 0 : (int) Math.floor(100.0 * completedSteps / totalSteps);
    }
}
