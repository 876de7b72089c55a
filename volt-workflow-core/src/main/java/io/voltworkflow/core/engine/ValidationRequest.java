package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.TaskSpec;
import java.util.List;
import java.util.Objects;

/**
 * A task's generated code to validate. {@code dependencies} is the code of the tasks it depends on, directly or not,
 * dependencies first: the code this task's code was generated on top of. A validation that works in a tree of its
 * own (rather than one shared by every task) applies those patches before the task's own.
 */
public record ValidationRequest(
        JsonNode projectContext, TaskSpec task, CodegenResult code, List<DependencyCode> dependencies) {

    public ValidationRequest {
        dependencies = List.copyOf(dependencies == null ? List.of() : dependencies);
    }

    public ValidationRequest(JsonNode projectContext, TaskSpec task, CodegenResult code) {
        this(projectContext, task, code, List.of());
    }

    /** The code generated for one task the validated task depends on. */
    public record DependencyCode(String taskId, CodegenResult code) {
        public DependencyCode {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(code, "code of task " + taskId);
        }
    }
}
