package io.voltworkflow.engines.chat;

import com.fasterxml.jackson.databind.JsonNode;

/** What to ask: the operation ({@code analyze}, {@code create_tasks}, {@code codegen}), messages and answer schema. */
public record ChatPrompt(String operation, String system, String user, String schemaName, JsonNode schema) {}
