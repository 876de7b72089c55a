package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A custom step's input and the outputs of the steps it depends on, by step name. */
public record StepInvocation(String requirementText, JsonNode input, Map<String, JsonNode> dependencyOutputs) {
    public StepInvocation {
        dependencyOutputs = Map.copyOf(dependencyOutputs);
    }
}
