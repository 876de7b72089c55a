package io.voltworkflow.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads typed fields out of a request object, refusing anything else with a 400 that names the field. */
final class JsonFields {
    private final ObjectNode node;
    private final String prefix;

    private JsonFields(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    static JsonFields of(JsonNode node, String path, Set<String> allowed) {
        if (!(node instanceof ObjectNode object)) {
            throw new ApiError.Failure(
                    ApiError.invalid(path.isEmpty() ? null : path, describe(path) + " must be a JSON object"));
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ApiError.Failure(ApiError.invalid(prefix + name, "unknown field '" + prefix + name + "'"));
            }
        }
        return new JsonFields(object, prefix);
    }

    boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    JsonNode raw(String name) {
        return node.get(name);
    }

    String path(String name) {
        return prefix + name;
    }

    @Nullable
    String string(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(name, "must be a string");
        }
        return value.asText();
    }

    @Nullable
    Boolean bool(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(name, "must be true or false");
        }
        return value.asBoolean();
    }

    @Nullable
    Long wholeNumber(String name, long min, long max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw invalid(name, "must be a whole number between " + min + " and " + max);
        }
        return value.asLong();
    }

    @Nullable
    Double number(String name, double min) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < min) {
            throw invalid(name, "must be a number of at least " + min);
        }
        return value.asDouble();
    }

    ApiError.Failure invalid(String name, String problem) {
        return new ApiError.Failure(ApiError.invalid(prefix + name, "'" + prefix + name + "' " + problem));
    }

    private static String describe(String path) {
        return path.isEmpty() ? "the request body" : "'" + path + "'";
    }
}
