package io.voltworkflow.core.engine;

import io.voltworkflow.core.model.TaskSpec;
import java.util.List;

/** The atomic tasks; each becomes a codegen and a validation step. */
public record TaskPlan(List<TaskSpec> tasks) {
    public static final int MAX_TASKS = 200;

    public TaskPlan {
        tasks = List.copyOf(tasks == null ? List.of() : tasks);
    }
}
