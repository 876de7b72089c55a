package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.TaskSpec;

public record ValidationRequest(JsonNode projectContext, TaskSpec task, CodegenResult code) {}
