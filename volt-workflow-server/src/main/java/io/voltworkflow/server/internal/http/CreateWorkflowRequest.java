package io.voltworkflow.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.RepairPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/workflows}:
 * {@code {"requirement","projectContext","start","options":{maxConcurrentSteps, deadlineMs,
 * budget{maxTokens,maxCostUsd}, maxRepairRounds, labels, workflowId, engineProfile}}}. Unknown fields are refused so that a misspelt option is not
 * silently ignored.
 */
public record CreateWorkflowRequest(
        String requirement,
        JsonNode projectContext,
        boolean start,
        WorkflowOptions options,
        @Nullable String engineProfile) {
    static final int MAX_LABELS = 32;
    static final int MAX_LABEL_LENGTH = 128;
    private static final Set<String> OPTION_FIELDS = Set.of(
            "maxConcurrentSteps", "deadlineMs", "budget", "maxRepairRounds", "labels", "workflowId", "engineProfile");

    public static CreateWorkflowRequest parse(JsonNode body) {
        JsonFields fields = JsonFields.of(body, "", Set.of("requirement", "projectContext", "start", "options"));
        String requirement = fields.string("requirement");
        if (requirement == null || requirement.isBlank()) {
            throw fields.invalid("requirement", "is required and must not be blank");
        }
        JsonNode context = fields.raw("projectContext");
        if (context != null && !context.isNull() && !context.isObject()) {
            throw fields.invalid("projectContext", "must be a JSON object");
        }
        ObjectNode projectContext = context == null || context.isNull()
                ? io.voltworkflow.core.json.WorkflowJson.mapper().createObjectNode()
                : (ObjectNode) context;
        Boolean start = fields.bool("start");
        WorkflowOptions options = fields.has("options") ? options(fields.raw("options")) : WorkflowOptions.DEFAULTS;
        String engineProfile = fields.has("options")
                ? JsonFields.of(fields.raw("options"), "options", OPTION_FIELDS).string("engineProfile")
                : null;
        return new CreateWorkflowRequest(requirement, projectContext, start != null && start, options, engineProfile);
    }

    private static WorkflowOptions options(JsonNode node) {
        JsonFields fields = JsonFields.of(node, "options", OPTION_FIELDS);
        WorkflowOptions.Builder options = WorkflowOptions.builder();
        Long maxConcurrentSteps = fields.wholeNumber("maxConcurrentSteps", 0, 100_000);
        if (maxConcurrentSteps != null) {
            options.maxConcurrentSteps(maxConcurrentSteps.intValue());
        }
        Long deadlineMs =
                fields.wholeNumber("deadlineMs", 1, Duration.ofDays(365).toMillis());
        if (deadlineMs != null) {
            options.deadline(Duration.ofMillis(deadlineMs));
        }
        if (fields.has("budget")) {
            JsonFields budget =
                    JsonFields.of(fields.raw("budget"), "options.budget", Set.of("maxTokens", "maxCostUsd"));
            Long maxTokens = budget.wholeNumber("maxTokens", 0, Long.MAX_VALUE);
            Double maxCost = budget.number("maxCostUsd", 0);
            options.budget(new Budget(maxTokens == null ? 0 : maxTokens, maxCost == null ? 0 : maxCost));
        }
        Long maxRepairRounds = fields.wholeNumber("maxRepairRounds", 0, RepairPolicy.MAX_ROUNDS_LIMIT);
        if (maxRepairRounds != null) {
            options.maxRepairRounds(maxRepairRounds.intValue());
        }
        if (fields.has("labels")) {
            options.labels(labels(fields.raw("labels")));
        }
        String workflowId = fields.string("workflowId");
        if (workflowId != null) {
            try {
                options.workflowId(new WorkflowId(workflowId));
            } catch (IllegalArgumentException e) {
                throw fields.invalid(
                        "workflowId",
                        "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
        }
        return options.build();
    }

    private static Map<String, String> labels(JsonNode node) {
        if (!node.isObject()) {
            throw new ApiError.Failure(
                    ApiError.invalid("options.labels", "'options.labels' must be an object of strings"));
        }
        if (node.size() > MAX_LABELS) {
            throw new ApiError.Failure(
                    ApiError.invalid("options.labels", "at most " + MAX_LABELS + " labels are allowed"));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String field = "options.labels." + entry.getKey();
            String value = entry.getValue().asText();
            if (!entry.getValue().isTextual() || value.codePointCount(0, value.length()) > MAX_LABEL_LENGTH) {
                throw new ApiError.Failure(ApiError.invalid(
                        field, "'" + field + "' must be a string of at most " + MAX_LABEL_LENGTH + " characters"));
            }
            labels.put(entry.getKey(), entry.getValue().asText());
        }
        return labels;
    }
}
