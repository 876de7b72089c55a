package io.voltworkflow.engines.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.engines.internal.Json;

/**
 * The answer schemas, in the strict form OpenAI's structured outputs require (every property required, no extra
 * properties), which Anthropic, Ollama and vLLM accept as well. Field names are those of the core records.
 */
final class ChatSchemas {
    static final JsonNode TASK = object(
            "id",
            string(),
            "title",
            string(),
            "description",
            string(),
            "dependsOn",
            strings(),
            "acceptanceCriteria",
            strings(),
            "files",
            strings());
    static final JsonNode ANALYSIS = object(
            "summary",
            string(),
            "requirements",
            strings(),
            "complexity",
            enumOf("low", "medium", "high"),
            "proposedTasks",
            array(TASK));
    static final JsonNode TASK_PLAN = object("tasks", array(TASK));
    static final JsonNode CODEGEN = object("summary", string(), "files", strings(), "patch", string());

    private ChatSchemas() {}

    private static JsonNode object(Object... namesAndSchemas) {
        ObjectNode schema = Json.object().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            properties.set((String) namesAndSchemas[i], (JsonNode) namesAndSchemas[i + 1]);
            required.add((String) namesAndSchemas[i]);
        }
        return schema;
    }

    private static JsonNode string() {
        return Json.object().put("type", "string");
    }

    private static JsonNode strings() {
        return array(string());
    }

    private static JsonNode array(JsonNode items) {
        ObjectNode array = Json.object().put("type", "array");
        array.set("items", items);
        return array;
    }

    private static JsonNode enumOf(String... values) {
        ObjectNode schema = Json.object().put("type", "string");
        ArrayNode allowed = schema.putArray("enum");
        for (String value : values) {
            allowed.add(value);
        }
        return schema;
    }
}
