package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** What task creation is asked for; {@code analysis} is {@code null} in a workflow without an analysis step. */
public record TaskCreationRequest(
        String requirementText,
        JsonNode projectContext,
        @Nullable AnalysisResult analysis) {}
