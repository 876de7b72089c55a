package io.voltworkflow.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One node of the workflow DAG. {@code timeout} (start-to-close, per attempt) and {@code retryPolicy} are optional:
 * {@code null} takes the orchestrator's defaults. {@code input} is a JSON object handed to the step's handler.
 */
public record StepDefinition(
        String name,
        StepType type,
        List<String> dependencies,
        JsonNode input,
        @Nullable Duration timeout,
        @Nullable RetryPolicy retryPolicy) {

    public static final int MAX_NAME_LENGTH = 200;

    public StepDefinition {
        Objects.requireNonNull(name, "step name");
        Objects.requireNonNull(type, "type of step '" + name + "'");
        dependencies = List.copyOf(dependencies == null ? List.of() : dependencies);
        input = input == null ? JsonNodeFactory.instance.objectNode() : input.deepCopy();
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout of step '" + name + "' must be positive, was " + timeout);
        }
    }

    public static StepDefinition of(String name, StepType type, String... dependencies) {
        return new StepDefinition(name, type, List.of(dependencies), JsonNodeFactory.instance.objectNode(), null, null);
    }

    public StepDefinition withInput(JsonNode newInput) {
        return new StepDefinition(name, type, dependencies, newInput, timeout, retryPolicy);
    }

    public StepDefinition withTimeout(Duration newTimeout) {
        return new StepDefinition(name, type, dependencies, input, newTimeout, retryPolicy);
    }

    public StepDefinition withRetryPolicy(RetryPolicy newPolicy) {
        return new StepDefinition(name, type, dependencies, input, timeout, newPolicy);
    }

    public StepDefinition withDependencies(List<String> newDependencies) {
        return new StepDefinition(name, type, newDependencies, input, timeout, retryPolicy);
    }
}
