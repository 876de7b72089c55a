package io.voltworkflow.engines.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP contract and the streaming protocol of OpenAI Chat Completions with {@code stream: true}. */
class OpenAiStreamingChatEngineTest extends HttpAdapterContract {

    @Override
    protected EngineConfig.Builder config(String url) {
        return EngineConfig.builder(EngineKind.OPENAI).url(url + "v1").model("gpt-test").stream(true)
                .credentials(CredentialSource.of(new Credential.BearerToken(Secret.of(SECRET))));
    }

    /** The answer in chunks of a few characters, a finish chunk, a usage chunk and [DONE], as OpenAI streams them. */
    static String stream(String content, String finishReason) {
        List<String> events = new ArrayList<>();
        for (int start = 0; start < content.length(); start += 7) {
            events.add(chunk(
                    Json.object().put("content", content.substring(start, Math.min(content.length(), start + 7))),
                    null));
        }
        events.add(chunk(Json.object(), finishReason));
        var usage = Json.object().put("id", "chatcmpl-1");
        usage.putArray("choices");
        usage.putObject("usage")
                .put("prompt_tokens", 120)
                .put("completion_tokens", 30)
                .put("total_tokens", 150);
        events.add(Json.write(usage));
        events.add("[DONE]");
        StringBuilder body = new StringBuilder(": keep-alive comment\n\n");
        events.forEach(event -> body.append("data: ").append(event).append("\n\n"));
        return body.toString();
    }

    private static String chunk(JsonNode delta, String finishReason) {
        var chunk = Json.object()
                .put("id", "chatcmpl-1")
                .put("model", "gpt-test-2026-01-01")
                .put("system_fingerprint", "fp_1");
        var choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return Json.write(chunk);
    }

    static MockResponse.Builder events(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream; charset=utf-8")
                .chunkedBody(body, 64);
    }

    @Override
    protected MockResponse.Builder success() {
        return events(stream(ANALYSIS_JSON, "stop"));
    }

    @Override
    protected void assertAuthenticated(RecordedRequest request) {
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(request.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void streamedAnswer_reportsProgressWhileItArrives_andTheUsageAtTheEnd() throws Exception {
        server.enqueue(success().build());
        TestContext context = TestContext.step(StepType.ANALYSIS);

        assertThat(Outcomes.result(analyze(config(url()).build(), context)).summary())
                .isEqualTo("Add login");

        JsonNode body = Json.mapper().readTree(server.takeRequest().getBody().utf8());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        assertThat(context.usage).containsExactly(new Usage(120, 30, 0));
        assertThat(context.provenance)
                .containsEntry("response_model", "gpt-test-2026-01-01")
                .containsEntry("system_fingerprint", "fp_1");
        assertThat(context.progress)
                .first()
                .asString()
                .startsWith("openai:gpt-test generating: ~2 tokens (7 characters) received, 0 s elapsed");
        assertThat(context.progress)
                .last()
                .asString()
                .isEqualTo(
                        "openai:gpt-test answered: " + ANALYSIS_JSON.length() + " characters, 30 output tokens in 0 s");
    }

    @Test
    void answerCutAtTheTokenLimit_saysSo() {
        server.enqueue(events(stream("{\"summary\":\"Add lo", "length")).build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("maxOutputTokens");
    }

    @ParameterizedTest(name = "error type {0} is {1}, retryable={2}")
    @CsvSource({
        "server_error, ENGINE_ERROR, true",
        "rate_limit_exceeded, RATE_LIMITED, true",
        "invalid_request_error, INVALID_INPUT, false"
    })
    void errorInsideTheStream_isClassifiedAsTheSameErrorAsAReply(String type, String code, boolean retryable) {
        String error = "{\"error\":{\"message\":\"The model broke off\",\"type\":\"" + type + "\"}}";
        String body = stream(ANALYSIS_JSON, "stop");
        server.enqueue(events(body.substring(0, body.indexOf("\n\n", 200) + 2) + "data: " + error + "\n\n")
                .build());

        StepError failure = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(failure.code()).isEqualTo(code);
        assertThat(failure.retryable()).isEqualTo(retryable);
        assertThat(failure.message()).contains("while streaming").contains("The model broke off");
    }

    @Test
    void streamThatEndsBeforeTheAnswerIsComplete_isRetryable() {
        String body = stream(ANALYSIS_JSON, "stop");
        server.enqueue(events(body.substring(0, body.indexOf("\n\n", 200) + 2)).build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("stream ended");
    }

    @Test
    void streamThatStallsMidAnswer_timesOut_andTheRetrySucceeds() {
        String body = stream(ANALYSIS_JSON, "stop");
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(stallingAfter(body, body.indexOf("\n\n", 600)))
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
        server.enqueue(events(stream("x".repeat(4096), "stop")).build());
        EngineConfig config = config(url())
                .http(HttpOptions.builder().maxResponseBytes(1024).build())
                .build();

        StepError error = Outcomes.failure(analyze(config, TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.retryable()).isFalse();
        assertThat(error.message()).contains("1024 bytes (maxResponseBytes)");
    }

    @Test
    void serverThatIgnoresStream_andAnswersJson_isReadAsAReply() {
        server.enqueue(json(200, OpenAiChatEngineTest.completion(ANALYSIS_JSON, "stop")));
        TestContext context = TestContext.step(StepType.ANALYSIS);

        assertThat(Outcomes.result(analyze(config(url()).build(), context)).summary())
                .isEqualTo("Add login");
        assertThat(context.usage).containsExactly(new Usage(120, 30, 0));
    }

    @Test
    void streamOff_asksForOneJsonReply() throws Exception {
        server.enqueue(json(200, OpenAiChatEngineTest.completion(ANALYSIS_JSON, "stop")));

        Outcomes.result(analyze(config(url()).stream(false).build(), TestContext.step(StepType.ANALYSIS)));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(Json.mapper().readTree(request.getBody().utf8()).has("stream"))
                .isFalse();
    }
}
