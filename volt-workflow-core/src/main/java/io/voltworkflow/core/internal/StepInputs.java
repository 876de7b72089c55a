package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a step attempt reads from its workflow, copied under the lock when the attempt starts so the engine call
 * runs without touching shared state. {@code outputs} holds completed outputs by step name: direct dependencies
 * and analysis steps, and for completion steps every completed step; {@code taskIds} maps per-task steps to
 * their task; {@code rejections} holds, for completion steps, the final error of each validation that failed with no
 * repair round left; {@code usage} is what the workflow has consumed so far; {@code repair} is set for code generation
 * in a repair round.
 */
record StepInputs(
        String requirement,
        JsonNode projectContext,
        StepDefinition definition,
        Map<String, JsonNode> outputs,
        Map<String, StepType> types,
        List<String> completedStepOrder,
        Map<String, String> taskIds,
        Map<String, StepError> rejections,
        Usage usage,
        io.voltworkflow.core.engine.@Nullable RepairRound repair) {}
