package io.jenkins.plugins.voltworkflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepType;
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

    private PlanView() {
    }

    /** One task with its two steps (absent until task creation has expanded the graph). */
    public record TaskSteps(String id, String title, Optional<StepStatus> codegen, Optional<StepStatus> validation) {
    }

    public static Optional<StepStatus> firstOfType(WorkflowStatus status, StepType type) {
        return status.steps().stream().filter(s -> s.type().equals(type.id())).findFirst();
    }

    /** The tasks in the order task creation listed them; empty before task creation completed. */
    public static List<TaskSteps> tasks(WorkflowStatus status) {
        List<TaskSteps> tasks = new ArrayList<>();
        JsonNode output = firstOfType(status, StepType.TASK_CREATION).map(StepStatus::output).orElse(null);
        if (output == null || !output.path("tasks").isArray()) {
            return tasks;
        }
        for (JsonNode task : output.path("tasks")) {
            String id = task.path("id").asText();
            String title = task.path("title").asText(id);
            tasks.add(new TaskSteps(id, title, stepFor(status, StepType.CODEGEN, id, title),
                    stepFor(status, StepType.VALIDATION, id, title)));
        }
        return tasks;
    }

    public static Optional<TaskSteps> task(WorkflowStatus status, String taskRef) {
        return tasks(status).stream().filter(t -> t.id().equals(taskRef) || t.title().equals(taskRef)).findFirst();
    }

    /**
     * A task's step of a type. The standard plan names task steps after their task ("Generate Code for Task 1",
     * "Validate PR for Task 1"); a task's id or title ends the name.
     */
    private static Optional<StepStatus> stepFor(WorkflowStatus status, StepType type, String id, String title) {
        return status.steps().stream()
                .filter(s -> s.type().equals(type.id()))
                .filter(s -> endsWithWord(s.name(), id) || endsWithWord(s.name(), title))
                .findFirst();
    }

    private static boolean endsWithWord(String name, String ref) {
        return !ref.isEmpty() && (name.equals(ref) || name.endsWith(" " + ref));
    }
}
