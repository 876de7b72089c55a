package io.voltworkflow.core.model;

import java.util.List;
import java.util.Objects;

/**
 * An atomic task produced by task creation: one codegen step and one validation step each. {@code dependsOn} names
 * other tasks' ids; a task's code generation starts after the tasks it depends on are validated.
 */
public record TaskSpec(
        String id,
        String title,
        String description,
        List<String> dependsOn,
        List<String> acceptanceCriteria,
        List<String> files) {

    public TaskSpec {
        Objects.requireNonNull(id, "task id");
        Objects.requireNonNull(title, "title of task '" + id + "'");
        description = description == null ? "" : description;
        dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
        acceptanceCriteria = List.copyOf(acceptanceCriteria == null ? List.of() : acceptanceCriteria);
        files = List.copyOf(files == null ? List.of() : files);
    }
}
