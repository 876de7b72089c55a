package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;

public record AnalysisRequest(String requirementText, JsonNode projectContext) {}
