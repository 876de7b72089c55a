package io.voltworkflow.engines.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.SchemaCheck;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a model's JSON answer defensively: as is, else from a Markdown code fence, else from the outermost braces;
 * then checks it against the schema. An unusable answer is a retryable {@code INVALID_RESPONSE} (another sample may
 * be fine) that says what was wrong and how the answer began.
 */
final class AnswerParser {
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_-]*\\s*\\n(.*?)\\n\\s*```", Pattern.DOTALL);
    private static final int EXCERPT = 160;

    private AnswerParser() {}

    static JsonNode parse(String model, String operation, ChatAnswer answer, JsonNode schema) {
        String text = answer.text() == null ? "" : answer.text().strip();
        if (answer.truncated()) {
            throw invalid(model + " stopped at its output token limit during " + operation
                    + "; raise maxOutputTokens (answer began: '" + excerpt(text) + "')");
        }
        JsonNode json = candidates(text).stream()
                .map(Json::tryParse)
                .flatMap(Optional::stream)
                .filter(JsonNode::isObject)
                .findFirst()
                .orElseThrow(() -> invalid(model + "'s " + operation + " answer is not a JSON object (answer began: '"
                        + excerpt(text) + "')"));
        List<String> problems = SchemaCheck.problems(schema, json);
        if (!problems.isEmpty()) {
            throw invalid(
                    model + "'s " + operation + " answer does not match the schema: " + String.join("; ", problems));
        }
        return json;
    }

    private static List<String> candidates(String text) {
        Matcher fence = FENCE.matcher(text);
        String fenced = fence.find() ? fence.group(1) : null;
        int first = text.indexOf('{');
        int last = text.lastIndexOf('}');
        String braces = first >= 0 && last > first ? text.substring(first, last + 1) : null;
        return java.util.stream.Stream.of(text, fenced, braces)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    static EngineException invalid(String message) {
        return new EngineException(StepError.retryable(StepError.INVALID_RESPONSE, message));
    }

    private static String excerpt(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "…";
    }
}
