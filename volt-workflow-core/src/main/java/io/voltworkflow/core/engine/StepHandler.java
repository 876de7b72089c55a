package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/** Runs a custom step type; its result becomes the step's output (a JSON object). */
@FunctionalInterface
public interface StepHandler {
    CompletionStage<JsonNode> execute(StepInvocation invocation, EngineContext context);
}
