package io.voltworkflow.engines;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.engines.budget.Pricing;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.internal.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads engine configuration from JSON (or YAML read into a Jackson tree), so every host parses it the same way:
 *
 * <pre>{@code
 * {"nlp":        {"type": "openai", "url": "http://localhost:11434/v1", "model": "llama3.2", "temperature": 0},
 *  "codegen":    {"type": "anthropic", "model": "claude-sonnet-4-5", "credentials": "anthropic-key",
 *                 "pricing": {"inputUsdPerMillionTokens": 3, "outputUsdPerMillionTokens": 15}},
 *  "validation": {"type": "builtin", "workspace": "/work/repo", "validationCommand": ["./mvnw", "-B", "verify"]}}
 * }</pre>
 *
 * {@code credentials} is an id that the host's {@code credentialsById} resolves (Jenkins: a Credentials plugin id;
 * the server: a name in its secret configuration); secrets never appear in this JSON. Durations are ISO-8601
 * ({@code "PT30S"}) or seconds. Unknown fields are errors, so a typo does not silently fall back to a default.
 */
public final class EngineConfigJson {
    private static final Set<String> FIELDS = Set.of(
            "type",
            "url",
            "model",
            "credentials",
            "headers",
            "temperature",
            "maxOutputTokens",
            "seed",
            "structuredOutput",
            "stream",
            "apiVersion",
            "pricing",
            "command",
            "environment",
            "commandTimeout",
            "workspace",
            "validationCommand",
            "reportGlobs",
            "validationTimeout",
            "demonstrateRepair",
            "http");
    private static final Set<String> HTTP_FIELDS =
            Set.of("connectTimeout", "readTimeout", "callTimeout", "maxResponseBytes");
    private static final Set<String> STAGES = Set.of("nlp", "codegen", "validation");

    private EngineConfigJson() {}

    /** The engines per stage; a missing stage has no engine. Errors name the stage and field. */
    public static EnginesConfig readEngines(JsonNode json, Function<String, CredentialSource> credentialsById) {
        requireObject(json, "engine configuration");
        rejectUnknown(json, STAGES, "engine configuration");
        return new EnginesConfig(
                stage(json, "nlp", credentialsById),
                stage(json, "codegen", credentialsById),
                stage(json, "validation", credentialsById));
    }

    public static EngineConfig read(JsonNode json, Function<String, CredentialSource> credentialsById) {
        Objects.requireNonNull(credentialsById, "credentialsById");
        requireObject(json, "an engine");
        rejectUnknown(json, FIELDS, "an engine");
        EngineConfig.Builder builder = EngineConfig.builder(EngineKind.fromId(text(json, "type")));
        ifPresent(json, "url", node -> builder.url(node.asText()));
        ifPresent(json, "model", node -> builder.model(node.asText()));
        ifPresent(json, "credentials", node -> builder.credentials(credentials(node.asText(), credentialsById)));
        ifPresent(json, "headers", node -> strings(node, "headers").forEach(builder::header));
        ifPresent(json, "temperature", node -> builder.temperature(number(node, "temperature")));
        ifPresent(json, "maxOutputTokens", node -> builder.maxOutputTokens((int) integer(node, "maxOutputTokens")));
        ifPresent(json, "seed", node -> builder.seed(integer(node, "seed")));
        ifPresent(json, "structuredOutput", node -> builder.structuredOutput(bool(node, "structuredOutput")));
        ifPresent(json, "stream", node -> builder.stream(bool(node, "stream")));
        ifPresent(json, "apiVersion", node -> builder.apiVersion(node.asText()));
        ifPresent(
                json,
                "pricing",
                node -> builder.pricing(new Pricing(
                        number(node.path("inputUsdPerMillionTokens"), "pricing.inputUsdPerMillionTokens"),
                        number(node.path("outputUsdPerMillionTokens"), "pricing.outputUsdPerMillionTokens"))));
        ifPresent(json, "command", node -> builder.command(list(node, "command")));
        ifPresent(json, "environment", node -> strings(node, "environment").forEach(builder::environment));
        ifPresent(json, "commandTimeout", node -> builder.commandTimeout(duration(node, "commandTimeout")));
        ifPresent(json, "workspace", node -> builder.workspace(Path.of(node.asText())));
        ifPresent(json, "validationCommand", node -> builder.validationCommand(list(node, "validationCommand")));
        ifPresent(json, "reportGlobs", node -> builder.reportGlobs(list(node, "reportGlobs")));
        ifPresent(json, "validationTimeout", node -> builder.validationTimeout(duration(node, "validationTimeout")));
        ifPresent(json, "demonstrateRepair", node -> builder.demonstrateRepair(bool(node, "demonstrateRepair")));
        ifPresent(json, "http", node -> builder.http(http(node)));
        return builder.build();
    }

    private static @Nullable EngineConfig stage(
            JsonNode json, String stage, Function<String, CredentialSource> credentialsById) {
        JsonNode node = json.get(stage);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return read(node, credentialsById);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stage + ": " + e.getMessage(), e);
        }
    }

    private static CredentialSource credentials(String id, Function<String, CredentialSource> credentialsById) {
        CredentialSource source = credentialsById.apply(id);
        if (source == null) {
            throw new IllegalArgumentException("no credentials with id '" + id + "'");
        }
        return source;
    }

    private static HttpOptions http(JsonNode json) {
        requireObject(json, "http");
        rejectUnknown(json, HTTP_FIELDS, "http");
        HttpOptions.Builder builder = HttpOptions.builder();
        ifPresent(json, "connectTimeout", node -> builder.connectTimeout(duration(node, "http.connectTimeout")));
        ifPresent(json, "readTimeout", node -> builder.readTimeout(duration(node, "http.readTimeout")));
        ifPresent(json, "callTimeout", node -> builder.callTimeout(duration(node, "http.callTimeout")));
        ifPresent(json, "maxResponseBytes", node -> builder.maxResponseBytes(integer(node, "http.maxResponseBytes")));
        return builder.build();
    }

    private static void ifPresent(JsonNode json, String field, Consumer<JsonNode> use) {
        JsonNode node = json.get(field);
        if (node != null && !node.isNull()) {
            use.accept(node);
        }
    }

    private static void requireObject(JsonNode json, String what) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
    }

    private static void rejectUnknown(JsonNode json, Set<String> known, String what) {
        List<String> unknown = new ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    what + " has unknown field(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException("an engine needs '" + field + "' (a string)");
        }
        return node.asText();
    }

    private static double number(JsonNode node, String field) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a number");
        }
        return node.asDouble();
    }

    private static long integer(JsonNode node, String field) {
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a whole number");
        }
        return node.asLong();
    }

    private static boolean bool(JsonNode node, String field) {
        if (!node.isBoolean()) {
            throw new IllegalArgumentException("'" + field + "' must be true or false");
        }
        return node.asBoolean();
    }

    private static List<String> list(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(
                    "'" + field + "' must be a list of strings, e.g. [\"./mvnw\", \"-B\", \"verify\"]");
        }
        return Json.strings(node);
    }

    private static Map<String, String> strings(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("'" + field + "' must be an object of string values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            values.put(entry.getKey(), entry.getValue().asText());
        }
        return values;
    }

    private static Duration duration(JsonNode node, String field) {
        if (node.isNumber()) {
            return Duration.ofMillis((long) (node.asDouble() * 1000));
        }
        try {
            return Duration.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field
                    + "' must be seconds or an ISO-8601 duration like \"PT30S\", was '" + node.asText() + "'");
        }
    }
}
