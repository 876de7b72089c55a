package io.jenkins.plugins.voltworkflow.history;

import com.fasterxml.jackson.databind.JsonNode;
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
    /** The delivered branch and pull request; {@code null} without delivery (and in builds saved before it). */
    private final String branch;

    private final String pullRequestUrl;
    private final boolean draft;
    /** The validation of the delivered branch tip ("tip 5f0c1a2b3c passed validation"); null when none ran. */
    private final String tipValidation;

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
            String error,
            String branch,
            String pullRequestUrl,
            boolean draft,
            String tipValidation) {
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
        this.branch = branch;
        this.pullRequestUrl = pullRequestUrl;
        this.draft = draft;
        this.tipValidation = tipValidation;
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
        JsonNode result = status.result();
        JsonNode delivery = result == null ? null : result.get("delivery");
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
                error == null ? null : error.code() + ": " + error.message(),
                delivery == null ? null : delivery.path("branch").asText(null),
                delivery == null
                        ? null
                        : httpUrl(delivery.path("pullRequestUrl").asText(null)),
                delivery != null && delivery.path("draft").asBoolean(false),
                tipValidation(delivery));
    }

    private static String tipValidation(JsonNode delivery) {
        JsonNode tip = delivery == null ? null : delivery.get("tipValidation");
        if (tip == null || !tip.isObject()) {
            return null;
        }
        String head = delivery.path("headCommit").asText("");
        String sha = head.substring(0, Math.min(10, head.length()));
        return tip.path("passed").asBoolean(false)
                ? "branch tip " + sha + " passed validation"
                : "branch tip " + sha + " failed validation: "
                        + tip.path("summary").asText("");
    }

    /** Only an http(s) link is shown as one: the URL comes from a forge's answer. */
    private static String httpUrl(String url) {
        return url != null && (url.startsWith("https://") || url.startsWith("http://")) ? url : null;
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

    /** The branch the result was delivered on, or {@code null}. */
    @Exported
    public String getBranch() {
        return branch;
    }

    /** The pull (or merge) request the result was delivered as, or {@code null}. */
    @Exported
    public String getPullRequestUrl() {
        return pullRequestUrl;
    }

    /** How the delivered branch tip fared in validation, or {@code null}. Untrusted text: render escaped. */
    @Exported
    public String getTipValidation() {
        return tipValidation;
    }

    @Exported
    public boolean isDraft() {
        return draft;
    }

    @Exported
    public int getPercent() {
        return totalSteps == 0 ? 0 : (int) Math.floor(100.0 * completedSteps / totalSteps);
    }
}
