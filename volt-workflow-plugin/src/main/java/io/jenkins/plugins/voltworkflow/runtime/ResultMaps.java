package io.jenkins.plugins.voltworkflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values Pipeline steps return: plain {@link LinkedHashMap}s, {@link ArrayList}s, strings, numbers and
 * booleans, so a Jenkinsfile can read them ({@code result.tasks[0].codegen.patchReference}) and the Pipeline program
 * can persist them. Model output is returned as text, never interpreted.
 */
public final class ResultMaps {

    private ResultMaps() {}

    /** What the step that waited for {@code milestone} returns, in the status where it was reached. */
    public static Map<String, Object> forMilestone(Milestone milestone, WorkflowStatus status) {
        return switch (milestone.kind()) {
            case NOW, WORKFLOW -> workflow(status);
            case PLAN -> plan(status);
            case CODEGEN, VALIDATION ->
                PlanView.task(status, milestone.task())
                        .map(ResultMaps::task)
                        .orElseThrow(() -> new IllegalStateException("no task '" + milestone.task() + "' in the plan"));
        };
    }

    /** Why a finished workflow failed the step that waited for it, if it did (it did not complete). */
    public static Optional<String> failure(WorkflowStatus status) {
        if (status.state() == WorkflowState.COMPLETED) {
            return Optional.empty();
        }
        StepError error = status.error();
        return Optional.of("workflow " + status.workflowId() + " "
                + status.state().wireName() + (error == null ? "" : ": " + error.code() + " " + error.message()));
    }

    /** The whole workflow: what voltWorkflow and voltWorkflowStatus return. */
    public static Map<String, Object> workflow(WorkflowStatus status) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workflowId", status.workflowId().value());
        result.put("status", status.state().wireName());
        result.put("completedSteps", status.progress().completedSteps());
        result.put("totalSteps", status.progress().totalSteps());
        result.put("durationMs", durationMs(status));
        List<Object> tasks = new ArrayList<>();
        for (PlanView.TaskSteps task : PlanView.tasks(status)) {
            tasks.add(task(task));
        }
        result.put("tasks", tasks);
        List<Object> steps = new ArrayList<>();
        for (StepStatus step : status.steps()) {
            steps.add(step(step));
        }
        result.put("steps", steps);
        result.put("error", error(status.error()));
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("inputTokens", status.usage().inputTokens());
        usage.put("outputTokens", status.usage().outputTokens());
        usage.put("costUsd", status.usage().costUsd());
        result.put("usage", usage);
        Map<String, Object> delivery = delivery(status);
        result.put("delivery", delivery);
        result.put("pullRequestUrl", delivery == null ? null : delivery.get("pullRequestUrl"));
        return result;
    }

    /** Where the result was delivered ({@code result.delivery} of the status), or {@code null}. */
    private static Map<String, Object> delivery(WorkflowStatus status) {
        JsonNode outcome = status.result();
        JsonNode delivery = outcome == null ? null : outcome.get("delivery");
        if (delivery == null || !delivery.isObject()) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("branch", text(delivery, "branch"));
        result.put("headCommit", text(delivery, "headCommit"));
        result.put("pullRequestUrl", text(delivery, "pullRequestUrl"));
        result.put("draft", delivery.path("draft").asBoolean(false));
        result.put("summary", text(delivery, "summary"));
        return result;
    }

    /** What voltAnalyze returns: the analysis summary and the tasks, without outcomes yet. */
    public static Map<String, Object> plan(WorkflowStatus status) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workflowId", status.workflowId().value());
        result.put(
                "summary",
                PlanView.firstOfType(status, StepType.ANALYSIS)
                        .map(s -> text(s.output(), "summary"))
                        .orElse(""));
        List<Object> tasks = new ArrayList<>();
        for (PlanView.TaskSteps task : PlanView.tasks(status)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", task.id());
            entry.put("title", task.title());
            tasks.add(entry);
        }
        result.put("tasks", tasks);
        return result;
    }

    /** One task with its code generation and validation outcome: what voltCodegen and voltValidate return. */
    public static Map<String, Object> task(PlanView.TaskSteps task) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", task.id());
        result.put("title", task.title());
        result.put("codegen", task.codegen().map(ResultMaps::codegen).orElse(null));
        result.put("validation", task.validation().map(ResultMaps::validation).orElse(null));
        return result;
    }

    private static Map<String, Object> codegen(StepStatus step) {
        Map<String, Object> result = stepBasics(step);
        JsonNode output = step.output();
        result.put("summary", text(output, "summary"));
        result.put("patchReference", text(output, "reference"));
        result.put("generator", text(output, "generator"));
        List<Object> files = new ArrayList<>();
        if (output != null) {
            output.path("files").forEach(f -> files.add(f.asText()));
        }
        result.put("files", files);
        return result;
    }

    private static Map<String, Object> validation(StepStatus step) {
        Map<String, Object> result = stepBasics(step);
        JsonNode output = step.output();
        result.put("passed", output != null && output.path("passed").asBoolean(false));
        result.put("tests", output == null ? 0 : output.path("tests").asInt());
        result.put("failures", output == null ? 0 : output.path("failures").asInt());
        result.put("errors", output == null ? 0 : output.path("errors").asInt());
        result.put("skipped", output == null ? 0 : output.path("skipped").asInt());
        result.put("summary", text(output, "summary"));
        return result;
    }

    private static Map<String, Object> step(StepStatus step) {
        Map<String, Object> result = stepBasics(step);
        result.put("name", step.name());
        result.put("type", step.type());
        return result;
    }

    private static Map<String, Object> stepBasics(StepStatus step) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("state", step.state().wireName());
        result.put("attempts", step.attempts());
        result.put("durationMs", step.durationMs());
        result.put("error", error(step.error()));
        return result;
    }

    private static Map<String, Object> error(StepError error) {
        if (error == null) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("code", error.code());
        result.put("message", error.message());
        result.put("retryable", error.retryable());
        return result;
    }

    private static Long durationMs(WorkflowStatus status) {
        if (status.startedAt() == null) {
            return null;
        }
        return Optional.ofNullable(status.finishedAt())
                .map(end -> Duration.between(status.startedAt(), end).toMillis())
                .orElse(null);
    }

    private static String text(JsonNode output, String field) {
        if (output == null || !output.hasNonNull(field)) {
            return null;
        }
        return output.get(field).asText();
    }
}
