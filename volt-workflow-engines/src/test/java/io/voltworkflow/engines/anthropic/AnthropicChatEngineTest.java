package io.voltworkflow.engines.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.http.HttpAdapterContract;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.testing.Git;
import io.voltworkflow.engines.testing.Jobs;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnthropicChatEngineTest extends HttpAdapterContract {

    @Override
    protected EngineConfig.Builder config(String url) {
        return EngineConfig.builder(EngineKind.ANTHROPIC)
                .url(url)
                .model("claude-test")
                .maxOutputTokens(2048)
                .credentials(CredentialSource.of(new Credential.ApiKeyHeader("x-api-key", Secret.of(SECRET))));
    }

    static String message(String text, String stopReason) {
        var body = Json.object()
                .put("id", "msg_1")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", "claude-test-20260101")
                .put("stop_reason", stopReason);
        body.putArray("content").addObject().put("type", "text").put("text", text);
        body.putObject("usage")
                .put("input_tokens", 200)
                .put("output_tokens", 40)
                .put("cache_read_input_tokens", 10);
        return Json.write(body);
    }

    @Override
    protected MockResponse.Builder success() {
        return new MockResponse.Builder().code(200).body(message(ANALYSIS_JSON, "end_turn"));
    }

    @Override
    protected void assertAuthenticated(RecordedRequest request) {
        assertThat(request.getHeaders().get("x-api-key")).isEqualTo(SECRET);
        assertThat(request.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/messages");
    }

    @Override
    protected String quotaExhaustedBody() {
        return "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"spend limit reached\","
                + "\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}}";
    }

    @Test
    void sendsMessagesRequestWithStructuredOutput_andRecordsUsage() throws Exception {
        server.enqueue(success().addHeader("request-id", "req_011").build());
        TestContext context = TestContext.step(StepType.ANALYSIS);

        Outcomes.result(analyze(config(url()).build(), context));

        JsonNode body = Json.mapper().readTree(server.takeRequest().getBody().utf8());
        assertThat(body.path("max_tokens").asInt()).isEqualTo(2048);
        assertThat(body.path("system").asText()).contains("JSON schema");
        assertThat(body.path("output_config").path("format").path("type").asText())
                .isEqualTo("json_schema");
        assertThat(context.usage).containsExactly(new Usage(210, 40, 0));
        assertThat(context.provenance)
                .containsEntry("analyze.request_id", "req_011")
                .containsEntry("provider", "anthropic")
                .containsEntry("response_model", "claude-test-20260101");
    }

    @Test
    void overloaded529_isRetryable() {
        server.enqueue(
                json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.ENGINE_UNAVAILABLE);
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("Overloaded");
    }

    @Test
    void spendLimit429_isQuotaExhausted() {
        server.enqueue(json(429, quotaExhaustedBody()));

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.QUOTA_EXHAUSTED);
    }

    @Test
    void rateLimitResetInstant_givesTheRetryHint() {
        // The virtual clock starts at 2026-01-01T00:00:00Z.
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("anthropic-ratelimit-requests-remaining", "0")
                .addHeader("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:45Z")
                .addHeader("anthropic-ratelimit-tokens-remaining", "1000")
                .addHeader("anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:05Z")
                .body("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void xShouldRetryFalse_overridesTheStatus() {
        server.enqueue(new MockResponse.Builder()
                .code(500)
                .addHeader("x-should-retry", "false")
                .body("{}")
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.retryable()).isFalse();
    }

    @Test
    void answerCutAtMaxTokens_saysSo() {
        server.enqueue(new MockResponse.Builder()
                .body(message("{\"summary\":", "max_tokens"))
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("output token limit");
    }

    @Test
    void codegenProducesAUnifiedDiff(@TempDir Path workspace) throws Exception {
        Git.init(workspace);
        String patch = "--- /dev/null\n+++ b/docs/HELLO.md\n@@ -0,0 +1 @@\n+hello\n";
        String answer = Json.write(Json.object()
                .put("summary", "docs")
                .put("patch", patch)
                .set("files", Json.mapper().createArrayNode().add("docs/HELLO.md")));
        server.enqueue(new MockResponse.Builder()
                .body(message("```json\n" + answer + "\n```", "end_turn"))
                .build());
        TaskSpec task = new TaskSpec("T1", "Docs", "", List.of(), List.of(), List.of());

        CodegenPoll poll = Jobs.run(
                factory.codegen(config(url()).workspace(workspace).build()),
                new CodegenRequest("req", null, null, task),
                TestContext.step(StepType.CODEGEN));

        assertThat(poll).isInstanceOfSatisfying(CodegenPoll.Succeeded.class, done -> {
            assertThat(done.result().files()).containsExactly("docs/HELLO.md");
            assertThat(done.result().generator()).isEqualTo("anthropic:claude-test");
        });
    }
}
