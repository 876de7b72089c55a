package io.voltworkflow.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Objects;

/**
 * A workflow to run: the requirement, its project context (a JSON object, e.g. framework and language) and the
 * DAG of steps. Validate with {@link WorkflowValidator}; the orchestrator refuses invalid definitions whole.
 */
public record WorkflowDefinition(
        String requirementText, JsonNode projectContext, List<StepDefinition> steps, WorkflowOptions options) {

    public WorkflowDefinition {
        Objects.requireNonNull(requirementText, "requirementText");
        projectContext = projectContext == null ? JsonNodeFactory.instance.objectNode() : projectContext.deepCopy();
        steps = List.copyOf(steps == null ? List.of() : steps);
        options = options == null ? WorkflowOptions.DEFAULTS : options;
    }

    public WorkflowDefinition withOptions(WorkflowOptions newOptions) {
        return new WorkflowDefinition(requirementText, projectContext, steps, newOptions);
    }
}
