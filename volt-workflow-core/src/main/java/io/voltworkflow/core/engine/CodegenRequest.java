package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.TaskSpec;
import org.jspecify.annotations.Nullable;

/** What code generation is asked for; {@code repair} is {@code null} on a task's first pass. */
public record CodegenRequest(
        String requirementText,
        JsonNode projectContext,
        AnalysisResult analysis,
        TaskSpec task,
        @Nullable RepairRound repair) {

    public CodegenRequest(String requirementText, JsonNode projectContext, AnalysisResult analysis, TaskSpec task) {
        this(requirementText, projectContext, analysis, task, null);
    }
}
