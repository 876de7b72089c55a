package io.voltworkflow.engines.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a document against the subset of JSON Schema our own schemas use (type, properties, required,
 * additionalProperties false, items, enum) and names each problem by its path. Providers that
 * promise schema-conforming output do not always deliver it, so every answer is checked.
 */
public final class SchemaCheck {
    private static final int MAX_PROBLEMS = 10;

    private SchemaCheck() {}

    public static List<String> problems(JsonNode schema, JsonNode document) {
        List<String> problems = new ArrayList<>();
        check(schema, document, "$", problems);
        return problems.size() <= MAX_PROBLEMS ? problems : problems.subList(0, MAX_PROBLEMS);
    }

    private static void check(JsonNode schema, JsonNode node, String path, List<String> problems) {
        String type = schema.path("type").asText("");
        if (!type.isEmpty() && !hasType(node, type)) {
            problems.add(path + ": expected " + type + " but found " + describe(node));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && !contains(allowed, node)) {
            problems.add(path + ": '" + node.asText() + "' is not one of " + allowed);
        }
        if (node.isObject()) {
            checkObject(schema, node, path, problems);
        } else if (node.isArray()) {
            JsonNode items = schema.get("items");
            for (int i = 0; items != null && i < node.size(); i++) {
                check(items, node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static void checkObject(JsonNode schema, JsonNode node, String path, List<String> problems) {
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            JsonNode value = node.get(required.asText());
            if (value == null || value.isNull()) {
                problems.add(path + "." + required.asText() + ": missing");
            }
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode propertySchema = properties.get(field.getKey());
            if (propertySchema != null) {
                if (!field.getValue().isNull()) {
                    check(propertySchema, field.getValue(), path + "." + field.getKey(), problems);
                }
            } else if (schema.path("additionalProperties").isBoolean()
                    && !schema.get("additionalProperties").asBoolean()) {
                problems.add(path + "." + field.getKey() + ": unexpected property");
            }
        }
    }

    private static boolean hasType(JsonNode node, String type) {
        return switch (type) {
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber();
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            default -> true;
        };
    }

    private static boolean contains(JsonNode allowed, JsonNode node) {
        for (JsonNode value : allowed) {
            if (value.equals(node)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonNode node) {
        return node.isNull() ? "null" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
