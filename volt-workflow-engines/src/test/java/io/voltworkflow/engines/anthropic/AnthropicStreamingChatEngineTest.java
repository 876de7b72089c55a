package io.voltworkflow.engines.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.http.HttpAdapterContract;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP contract and the streaming protocol of Anthropic Messages with {@code stream: true}. */
class AnthropicStreamingChatEngineTest extends HttpAdapterContract {

    @Override
    protected EngineConfig.Builder config(String url) {
        return EngineConfig.builder(EngineKind.ANTHROPIC).url(url).model("claude-test").maxOutputTokens(2048).stream(
                        true)
                .credentials(CredentialSource.of(new Credential.ApiKeyHeader("x-api-key", Secret.of(SECRET))));
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    /** The text in deltas of a few characters between message_start and message_stop, as Anthropic streams it. */
    static String stream(String text, String stopReason) {
        var start = Json.object().put("type", "message_start");
        var message = start.putObject("message")
                .put("id", "msg_1")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", "claude-test-20260101");
        message.putArray("content");
        message.putObject("usage")
                .put("input_tokens", 200)
                .put("cache_read_input_tokens", 10)
                .put("output_tokens", 1);
        StringBuilder body = new StringBuilder(event("message_start", Json.write(start)));
        body.append(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        body.append(event("ping", "{\"type\": \"ping\"}"));
        for (int from = 0; from < text.length(); from += 9) {
            var delta = Json.object().put("type", "content_block_delta").put("index", 0);
            delta.putObject("delta")
                    .put("type", "text_delta")
                    .put("text", text.substring(from, Math.min(text.length(), from + 9)));
            body.append(event("content_block_delta", Json.write(delta)));
        }
        body.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        var end = Json.object().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", 40);
        body.append(event("message_delta", Json.write(end)));
        return body.append(event("message_stop", "{\"type\":\"message_stop\"}")).toString();
    }

    static MockResponse.Builder events(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .chunkedBody(body, 64);
    }

    @Override
    protected MockResponse.Builder success() {
        return events(stream(ANALYSIS_JSON, "end_turn"));
    }

    @Override
    protected void assertAuthenticated(RecordedRequest request) {
        assertThat(request.getHeaders().get("x-api-key")).isEqualTo(SECRET);
        assertThat(request.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/messages");
    }

    @Test
    void streamedAnswer_reportsProgressWhileItArrives_andTheUsageAtTheEnd() throws Exception {
        server.enqueue(success().build());
        TestContext context = TestContext.step(StepType.ANALYSIS);

        assertThat(Outcomes.result(analyze(config(url()).build(), context)).summary())
                .isEqualTo("Add login");

        assertThat(Json.mapper()
                        .readTree(server.takeRequest().getBody().utf8())
                        .path("stream")
                        .asBoolean())
                .isTrue();
        assertThat(context.usage).containsExactly(new Usage(210, 40, 0));
        assertThat(context.provenance).containsEntry("response_model", "claude-test-20260101");
        assertThat(context.progress)
                .first()
                .asString()
                .startsWith("anthropic:claude-test generating: ~2 tokens (9 characters) received");
        assertThat(context.progress)
                .last()
                .asString()
                .isEqualTo("anthropic:claude-test answered: " + ANALYSIS_JSON.length()
                        + " characters, 40 output tokens in 0 s");
    }

    @ParameterizedTest(name = "error type {0} is {1}, retryable={2}")
    @CsvSource({
        "overloaded_error, ENGINE_UNAVAILABLE, true",
        "api_error, ENGINE_ERROR, true",
        "rate_limit_error, RATE_LIMITED, true",
        "invalid_request_error, INVALID_INPUT, false"
    })
    void errorEvent_isClassifiedAsTheSameErrorAsAReply(String type, String code, boolean retryable) {
        String body = stream(ANALYSIS_JSON, "end_turn");
        String partial = body.substring(0, body.indexOf("event: content_block_stop"));
        server.enqueue(events(partial
                        + event(
                                "error",
                                "{\"type\":\"error\",\"error\":{\"type\":\"" + type
                                        + "\",\"message\":\"Overloaded\"}}"))
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(code);
        assertThat(error.retryable()).isEqualTo(retryable);
        assertThat(error.message()).contains("while streaming").contains("Overloaded");
    }

    @Test
    void streamWithoutMessageStop_isRetryable() {
        String body = stream(ANALYSIS_JSON, "end_turn");
        server.enqueue(
                events(body.substring(0, body.indexOf("event: message_stop"))).build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("message_stop");
    }

    @Test
    void answerCutAtTheTokenLimit_saysSo() {
        server.enqueue(events(stream("{\"summary\":\"Add lo", "max_tokens")).build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("maxOutputTokens");
    }

    @Test
    void streamThatStallsMidAnswer_timesOut_andTheRetrySucceeds() {
        String body = stream(ANALYSIS_JSON, "end_turn");
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(stallingAfter(body, body.indexOf("event: content_block_delta", 800)))
                .build());
        server.enqueue(success().build());
        EngineConfig config = config(url())
                .http(HttpOptions.builder().readTimeout(Duration.ofMillis(300)).build())
                .build();
        TestContext first = TestContext.step(StepType.ANALYSIS);

        StepError error = Outcomes.failure(analyze(config, first));

        assertThat(error.code()).isEqualTo(StepError.TIMEOUT);
        assertThat(error.retryable()).isTrue();
        assertThat(first.progress).anyMatch(line -> line.contains("characters) received"));
        assertThat(Outcomes.result(analyze(
                                config, TestContext.step(StepType.ANALYSIS).retryAfter(error)))
                        .summary())
                .isEqualTo("Add login");
    }

    @Test
    void oversizedStream_isRefusedAtTheLimit() {
        server.enqueue(events(stream("x".repeat(4096), "end_turn")).build());
        EngineConfig config = config(url())
                .http(HttpOptions.builder().maxResponseBytes(1024).build())
                .build();

        StepError error = Outcomes.failure(analyze(config, TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("1024 bytes (maxResponseBytes)");
    }

    @Test
    void streamOff_asksForOneJsonReply() throws Exception {
        server.enqueue(json(200, AnthropicChatEngineTest.message(ANALYSIS_JSON, "end_turn")));
        TestContext context = TestContext.step(StepType.ANALYSIS);

        Outcomes.result(analyze(config(url()).stream(false).build(), context));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(Json.mapper().readTree(request.getBody().utf8()).has("stream"))
                .isFalse();
        assertThat(context.usage).containsExactly(new Usage(210, 40, 0));
    }
}
