package io.jenkins.plugins.voltworkflow.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.plan.StandardPlan;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the standard plan out of a status: the analysis and task-creation steps, the tasks that task creation
 * produced, and each task's code generation and validation steps.
 */
public final class PlanView {

    private PlanView() {}

    /** One task with its two steps. */
    public record TaskSteps(String id, String title, Optional<StepStatus> codegen, Optional<StepStatus> validation) {}

    public static Optional<StepStatus> firstOfType(WorkflowStatus status, StepType type) {
        return status.steps().stream().filter(s -> s.type().equals(type.id())).findFirst();
    }

    /** The tasks in the order task creation listed them; empty before task creation completed. */
    public static List<TaskSteps> tasks(WorkflowStatus status) {
        List<TaskSteps> tasks = new ArrayList<>();
        JsonNode output = firstOfType(status, StepType.TASK_CREATION)
                .map(StepStatus::output)
                .orElse(null);
        if (output == null || !output.path("tasks").isArray()) {
            return tasks;
        }
        for (JsonNode node : output.path("tasks")) {
            TaskSpec task = taskOf(node);
            tasks.add(new TaskSteps(
                    task.id(),
                    task.title(),
                    status.step(StandardPlan.codegenStepName(task)),
                    status.step(StandardPlan.validationStepName(task))));
        }
        return tasks;
    }

    /** The task with this id, or else this title. */
    public static Optional<TaskSteps> task(WorkflowStatus status, String taskRef) {
        List<TaskSteps> tasks = tasks(status);
        return tasks.stream()
                .filter(t -> t.id().equals(taskRef))
                .findFirst()
                .or(() -> tasks.stream().filter(t -> t.title().equals(taskRef)).findFirst());
    }

    private static TaskSpec taskOf(JsonNode node) {
        try {
            return WorkflowJson.mapper().treeToValue(node, TaskSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "task creation produced a task that is not a task: " + e.getOriginalMessage(), e);
        }
    }
}
