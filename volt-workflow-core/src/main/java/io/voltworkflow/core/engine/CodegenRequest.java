package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.TaskSpec;
import org.jspecify.annotations.Nullable;

/**
 * What code generation is asked for; {@code analysis} is {@code null} in a workflow without an analysis step, {@code
 * repair} on a task's first pass.
 */
public record CodegenRequest(
        String requirementText,
        JsonNode projectContext,
        @Nullable AnalysisResult analysis,
        TaskSpec task,
        @Nullable RepairRound repair) {

    public CodegenRequest(
            String requirementText, JsonNode projectContext, @Nullable AnalysisResult analysis, TaskSpec task) {
        this(requirementText, projectContext, analysis, task, null);
    }
}
