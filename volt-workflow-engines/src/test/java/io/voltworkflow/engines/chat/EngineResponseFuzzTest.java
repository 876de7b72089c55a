package io.voltworkflow.engines.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.http.HttpFailures;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.Redactor;
import io.voltworkflow.engines.volt.VoltWire;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import okhttp3.Headers;

/**
 * Engine answers are untrusted input: whatever a model or an engine sends, reading it either gives a usable value
 * or a classified error, never an uncaught exception.
 */
class EngineResponseFuzzTest {
    private static final Set<String> ANSWER_ERRORS = Set.of(StepError.INVALID_RESPONSE, StepError.INVALID_TASK_PLAN);

    @Provide
    Arbitrary<String> nearJson() {
        return Arbitraries.of(
                        "{",
                        "}",
                        "[",
                        "]",
                        ",",
                        ":",
                        "\"summary\"",
                        "\"requirements\"",
                        "\"complexity\"",
                        "\"low\"",
                        "\"proposedTasks\"",
                        "\"tasks\"",
                        "\"id\"",
                        "\"title\"",
                        "\"dependsOn\"",
                        "\"T1\"",
                        "\"patch\"",
                        "\"passed\"",
                        "\"files\"",
                        "\"x\"",
                        "1",
                        "-2.5e3",
                        "null",
                        "true",
                        "```json\n",
                        "\n```",
                        "Sure! ",
                        "\\u0000",
                        "\"")
                .list()
                .ofMaxSize(40)
                .map(parts -> String.join("", parts));
    }

    @Property(tries = 400, seed = "20261125")
    void modelAnswersParseOrFailClassified(@ForAll("nearJson") String text, @ForAll boolean truncated) {
        for (JsonNode schema : List.of(ChatSchemas.ANALYSIS, ChatSchemas.TASK_PLAN, ChatSchemas.CODEGEN)) {
            try {
                JsonNode parsed = AnswerParser.parse("model", "op", new ChatAnswer(text, truncated), schema);
                assertThat(parsed.isObject()).isTrue();
            } catch (EngineException e) {
                assertThat(e.error().code()).isEqualTo(StepError.INVALID_RESPONSE);
            }
        }
    }

    @Property(tries = 400, seed = "20261125")
    void engineResultsReadOrFailClassified(@ForAll("nearJson") String text) {
        JsonNode body = Json.tryParse(text).orElse(Json.object());
        List<Function<JsonNode, Object>> readers = List.of(
                node -> VoltWire.analysis(node, "e"),
                node -> VoltWire.taskPlan(node, "e"),
                node -> VoltWire.codegenResult(node, "e"),
                node -> VoltWire.validation(node, "e"),
                node -> VoltWire.error(node, "e"));
        for (Function<JsonNode, Object> reader : readers) {
            try {
                Object unused = reader.apply(body);
            } catch (EngineException e) {
                assertThat(e.error().code()).isIn(ANSWER_ERRORS);
            }
        }
    }

    @Property(tries = 400, seed = "20261125")
    void anyHttpFailureIsClassified(
            @ForAll("statuses") int status,
            @ForAll("headerValues") String retryAfter,
            @ForAll("headerValues") String reset,
            @ForAll("nearJson") String body) {
        Headers headers = new Headers.Builder()
                .addUnsafeNonAscii("Retry-After", retryAfter)
                .addUnsafeNonAscii("x-ratelimit-reset-requests", reset)
                .addUnsafeNonAscii("anthropic-ratelimit-tokens-reset", reset)
                .build();

        StepError error = HttpFailures.forStatus("e", status, headers, body, null, Instant.EPOCH, Redactor.NONE);

        assertThat(error.message()).startsWith("e returned HTTP " + status);
        assertThat(error.retryAfter() == null || !error.retryAfter().isNegative())
                .isTrue();
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.integers().between(300, 599);
    }

    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "0",
                        "7",
                        "1.5",
                        "-3",
                        "NaN",
                        "1e400",
                        "6m0s",
                        "1h2m3.5s",
                        "12ms",
                        "2026-01-01T00:00:45Z",
                        "Thu, 01 Jan 1970 00:00:30 GMT",
                        "soon",
                        ""),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20));
    }
}
