package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.TaskSpec;

public record CodegenRequest(String requirementText, JsonNode projectContext, AnalysisResult analysis, TaskSpec task) {}
