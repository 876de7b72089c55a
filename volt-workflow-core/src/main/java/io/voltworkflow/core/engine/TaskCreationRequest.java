package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;

public record TaskCreationRequest(String requirementText, JsonNode projectContext, AnalysisResult analysis) {}
