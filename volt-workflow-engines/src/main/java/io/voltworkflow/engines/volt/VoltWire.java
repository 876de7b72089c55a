package io.voltworkflow.engines.volt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.SchemaCheck;
import io.voltworkflow.engines.internal.TaskPlans;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies of the Volt engine protocol (docs/engine-protocol.md), shared by the HTTP and the command
 * transport: requests are the core's request records, results the core's result records, field for field. Results
 * are checked for their required fields; an unusable one is a non-retryable {@code INVALID_RESPONSE}.
 */
public final class VoltWire {
    private static final JsonNode ANALYSIS = required("object", "summary", "string");
    private static final JsonNode TASK_PLAN = Json.object()
            .put("type", "object")
            .set(
                    "properties",
                    Json.object()
                            .set("tasks", Json.object().put("type", "array").set("items", taskSchema())));
    private static final JsonNode CODEGEN = required("object", "patch", "string");
    private static final JsonNode VALIDATION = required("object", "passed", "boolean");

    private VoltWire() {}

    public static JsonNode request(Object coreRequest) {
        return Json.toTree(coreRequest);
    }

    /**
     * The request body of an attempt: the core request, plus {@code previousAttemptError} ({@code code},
     * {@code message}, {@code retryable}) when the attempt is a retry, so the engine can fix what was wrong.
     */
    public static JsonNode request(Object coreRequest, io.voltworkflow.core.engine.EngineContext context) {
        JsonNode body = Json.toTree(coreRequest);
        context.previousAttemptError().ifPresent(error -> {
            if (body instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                object.putObject("previousAttemptError")
                        .put("code", error.code())
                        .put("message", io.voltworkflow.engines.internal.RepairFeedback.truncated(error.message()))
                        .put("retryable", error.retryable());
            }
        });
        return body;
    }

    public static AnalysisResult analysis(JsonNode body, String engine) {
        return read(body, ANALYSIS, AnalysisResult.class, engine, "analysis");
    }

    public static TaskPlan taskPlan(JsonNode body, String engine) {
        if (!body.has("tasks")) {
            throw invalid(engine + "'s task plan has no 'tasks'");
        }
        return TaskPlans.requireValid(read(body, TASK_PLAN, TaskPlan.class, engine, "task plan"), engine, false);
    }

    public static CodegenResult codegenResult(JsonNode body, String engine) {
        return read(body, CODEGEN, CodegenResult.class, engine, "code generation result");
    }

    public static ValidationResult validation(JsonNode body, String engine) {
        return read(body, VALIDATION, ValidationResult.class, engine, "validation result");
    }

    /** The engine's own classified error, from {@code {"error": {"code", "message", "retryable", "retryAfterSeconds"}}}. */
    public static Optional<StepError> error(@Nullable JsonNode body, String engine) {
        JsonNode error = body == null ? null : body.get("error");
        if (error == null || !error.isObject()) {
            return Optional.empty();
        }
        String code = Json.text(error, "code");
        JsonNode after = error.get("retryAfterSeconds");
        return Optional.of(new StepError(
                code == null || code.isBlank() ? StepError.ENGINE_ERROR : code,
                engine + ": " + error.path("message").asText(""),
                error.path("retryable").asBoolean(false),
                true,
                after != null && after.isNumber() ? Duration.ofMillis((long) (after.asDouble() * 1000)) : null));
    }

    static EngineException invalid(String message) {
        return new EngineException(StepError.recoverable(StepError.INVALID_RESPONSE, message));
    }

    private static <T> T read(JsonNode body, JsonNode schema, Class<T> type, String engine, String what) {
        List<String> problems = SchemaCheck.problems(schema, body);
        if (!problems.isEmpty()) {
            throw invalid(engine + "'s " + what + " is unusable: " + String.join("; ", problems));
        }
        try {
            return Json.mapper().treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid(engine + "'s " + what + " is unusable: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static JsonNode required(String type, String field, String fieldType) {
        var schema = Json.object().put("type", type);
        schema.putObject("properties").putObject(field).put("type", fieldType);
        schema.putArray("required").add(field);
        return schema;
    }

    private static JsonNode taskSchema() {
        var task = Json.object().put("type", "object");
        var properties = task.putObject("properties");
        properties.putObject("id").put("type", "string");
        properties.putObject("title").put("type", "string");
        properties
                .putObject("dependsOn")
                .put("type", "array")
                .putObject("items")
                .put("type", "string");
        task.putArray("required").add("id").add("title");
        return task;
    }
}
