package io.voltworkflow.engines.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import io.voltworkflow.engines.budget.Pricing;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiChatEngineTest extends HttpAdapterContract {
    static final String PATCH = """
      diff --git a/src/Login.java b/src/Login.java
      new file mode 100644
      --- /dev/null
      +++ b/src/Login.java
      @@ -0,0 +1 @@
      +class Login {}
      """;

    @Override
    protected EngineConfig.Builder config(String url) {
        return EngineConfig.builder(EngineKind.OPENAI)
                .url(url + "v1")
                .model("gpt-test")
                .temperature(0.0)
                .seed(7L)
                .credentials(CredentialSource.of(new Credential.BearerToken(Secret.of(SECRET))));
    }

    static String completion(String content, String finishReason) {
        var body = Json.object()
                .put("id", "chatcmpl-1")
                .put("model", "gpt-test-2026-01-01")
                .put("system_fingerprint", "fp_1");
        body.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", finishReason)
                .putObject("message")
                .put("role", "assistant")
                .put("content", content);
        body.putObject("usage")
                .put("prompt_tokens", 120)
                .put("completion_tokens", 30)
                .put("total_tokens", 150);
        return Json.write(body);
    }

    @Override
    protected MockResponse.Builder success() {
        return new MockResponse.Builder().code(200).body(completion(ANALYSIS_JSON, "stop"));
    }

    @Override
    protected void assertAuthenticated(RecordedRequest request) {
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void asksForStrictSchemaOutput_andRecordsModelParametersAndUsage() throws Exception {
        server.enqueue(success().build());
        TestContext context = TestContext.step(StepType.ANALYSIS);

        Outcomes.result(analyze(config(url()).build(), context));

        JsonNode body = Json.mapper().readTree(server.takeRequest().getBody().utf8());
        assertThat(body.path("model").asText()).isEqualTo("gpt-test");
        assertThat(body.path("seed").asLong()).isEqualTo(7);
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(body.path("response_format")
                        .path("json_schema")
                        .path("strict")
                        .asBoolean())
                .isTrue();
        assertThat(body.path("response_format")
                        .path("json_schema")
                        .path("schema")
                        .path("required")
                        .toString())
                .contains("proposedTasks");
        assertThat(context.provenance)
                .containsEntry("model", "gpt-test")
                .containsEntry("temperature", "0.0")
                .containsEntry("seed", "7")
                .containsEntry("response_model", "gpt-test-2026-01-01")
                .containsEntry("system_fingerprint", "fp_1");
        assertThat(context.usage).containsExactly(new Usage(120, 30, 0));
    }

    @Test
    void fencedAnswer_isParsed() {
        server.enqueue(new MockResponse.Builder()
                .body(completion("Here you go:\n```json\n" + ANALYSIS_JSON + "\n```\n", "stop"))
                .build());

        assertThat(Outcomes.result(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)))
                        .summary())
                .isEqualTo("Add login");
    }

    @Test
    void answerThatBreaksTheSchema_isAClearInvalidResponse() {
        server.enqueue(new MockResponse.Builder()
                .body(completion(
                        "{\"summary\":\"x\",\"requirements\":\"one\",\"complexity\":\"huge\",\"proposedTasks\":[{\"id\":\"T1\"}]}",
                        "stop"))
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.retryable()).as("another sample may conform").isTrue();
        assertThat(error.message())
                .contains("$.requirements: expected array")
                .contains("'huge' is not one of")
                .contains("$.proposedTasks[0].title: missing");
    }

    @Test
    void proseAnswer_isAClearInvalidResponse() {
        server.enqueue(new MockResponse.Builder()
                .body(completion("I cannot help with that.", "stop"))
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.message()).contains("not a JSON object").contains("I cannot help with that.");
    }

    @Test
    void answerCutAtTheTokenLimit_saysSo() {
        server.enqueue(new MockResponse.Builder()
                .body(completion("{\"summary\":\"Add lo", "length"))
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.message()).contains("output token limit").contains("maxOutputTokens");
    }

    @Test
    void rateLimitResetHeaders_giveTheRetryHint_whenThereIsNoRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("x-ratelimit-remaining-requests", "0")
                .addHeader("x-ratelimit-reset-requests", "6m0s")
                .addHeader("x-ratelimit-remaining-tokens", "5000")
                .addHeader("x-ratelimit-reset-tokens", "1s")
                .body("{\"error\":{\"message\":\"Rate limit reached for requests\",\"code\":\"rate_limit_exceeded\"}}")
                .build());

        StepError error = Outcomes.failure(analyze(config(url()).build(), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.RATE_LIMITED);
        assertThat(error.retryAfter()).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void costReportedByLiteLlm_winsOverPricing() {
        server.enqueue(success().addHeader("x-litellm-response-cost", "0.0125").build());
        TestContext context = TestContext.step(StepType.ANALYSIS);

        Outcomes.result(analyze(config(url()).pricing(new Pricing(1, 1)).build(), context));

        assertThat(context.usage).containsExactly(new Usage(120, 30, 0.0125));
    }

    @Test
    void costFromPricing_whenTheProviderReportsNone() {
        server.enqueue(success().build());
        TestContext context = TestContext.step(StepType.ANALYSIS);

        Outcomes.result(analyze(config(url()).pricing(new Pricing(2.5, 10)).build(), context));

        assertThat(context.usage.get(0).costUsd()).isEqualTo((120 * 2.5 + 30 * 10) / 1_000_000);
    }

    @Test
    void taskPlanWithUnknownDependency_isRejected() {
        server.enqueue(new MockResponse.Builder()
                .body(completion(
                        "{\"tasks\":[{\"id\":\"T1\",\"title\":\"a\",\"description\":\"\","
                                + "\"dependsOn\":[\"T9\"],\"acceptanceCriteria\":[],\"files\":[]}]}",
                        "stop"))
                .build());

        StepError error = Outcomes.failure(factory.nlp(config(url()).build())
                .createTasks(new TaskCreationRequest("req", null, null), TestContext.step(StepType.TASK_CREATION)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_TASK_PLAN);
        assertThat(error.message()).contains("unknown task 'T9'");
    }

    @Test
    void taskPlanIsRead() {
        server.enqueue(new MockResponse.Builder()
                .body(completion(
                        "{\"tasks\":[{\"id\":\"T1\",\"title\":\"a\",\"description\":\"\","
                                + "\"dependsOn\":[],\"acceptanceCriteria\":[\"x\"],\"files\":[]}]}",
                        "stop"))
                .build());

        TaskPlan plan = Outcomes.result(factory.nlp(config(url()).build())
                .createTasks(new TaskCreationRequest("req", null, null), TestContext.step(StepType.TASK_CREATION)));

        assertThat(plan.tasks()).extracting(TaskSpec::id).containsExactly("T1");
    }

    @Test
    void codegenWithoutAWorkspace_isRefusedUpFront() {
        assertThatThrownBy(() -> factory.codegen(config(url()).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 'workspace'")
                .hasMessageContaining("git apply --check");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void codegenWhoseWorkspaceIsNotTheValidationWorkspace_isRefusedUpFront(@TempDir Path workspace) {
        EngineConfig validation = EngineConfig.builder(EngineKind.BUILTIN)
                .workspace(workspace.resolve("other"))
                .build();

        assertThatThrownBy(() -> factory.engines(new EnginesConfig(
                        null, config(url()).workspace(workspace).build(), validation)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generated patches must be applied where validation runs");
    }

    @Test
    void codegenReturnsTheModelsUnifiedDiff(@TempDir Path workspace) throws Exception {
        Git.init(workspace);
        server.enqueue(new MockResponse.Builder()
                .body(completion(codegenAnswer(PATCH), "stop"))
                .build());

        CodegenPoll poll =
                generate(factory.codegen(config(url()).workspace(workspace).build()));

        assertThat(poll).isInstanceOfSatisfying(CodegenPoll.Succeeded.class, done -> {
            assertThat(done.result().patch()).isEqualTo(PATCH);
            assertThat(done.result().files()).containsExactly("src/Login.java");
            assertThat(done.result().generator()).isEqualTo("openai:gpt-test");
        });
    }

    @Test
    void codegenWithAWorkspaceAppliesThePatchThere(@TempDir Path workspace) throws Exception {
        Git git = Git.init(workspace);
        server.enqueue(new MockResponse.Builder()
                .body(completion(codegenAnswer(PATCH), "stop"))
                .build());

        CodegenPoll poll =
                generate(factory.codegen(config(url()).workspace(workspace).build()));

        assertThat(poll).isInstanceOf(CodegenPoll.Succeeded.class);
        assertThat(workspace.resolve("src/Login.java")).hasContent("class Login {}");
        assertThat(git.run("status", "--porcelain")).contains("?? src/");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "does not apply | --- a/README.md\\n+++ b/README.md\\n@@ -1 +1 @@\\n-# something else\\n+# new\\n | does not apply",
                "has no headers | @@ -1 +1 @@\\n-# demo\\n+# new\\n | names no file"
            })
    void unusablePatches_areOneRetryableClassification(
            String name, String patch, String message, @TempDir Path workspace) throws Exception {
        Git.init(workspace);
        server.enqueue(new MockResponse.Builder()
                .body(completion(codegenAnswer(patch.replace("\\n", "\n")), "stop"))
                .build());

        CodegenPoll poll =
                generate(factory.codegen(config(url()).workspace(workspace).build()));

        assertThat(poll).isInstanceOfSatisfying(CodegenPoll.Failed.class, failed -> {
            assertThat(failed.error().code()).isEqualTo(StepError.INVALID_RESPONSE);
            assertThat(failed.error().retryable()).isTrue();
            assertThat(failed.error().message()).contains(message);
        });
    }

    @Test
    void codegenRejectsAPatchThatLeavesTheWorkspace(@TempDir Path workspace) throws Exception {
        Git.init(workspace);
        String evil = "--- a/../../etc/cron.d/x\n+++ b/../../etc/cron.d/x\n@@ -0,0 +1 @@\n+* * * * * root sh\n";
        server.enqueue(new MockResponse.Builder()
                .body(completion(codegenAnswer(evil), "stop"))
                .build());

        CodegenPoll poll =
                generate(factory.codegen(config(url()).workspace(workspace).build()));

        assertThat(poll).isInstanceOfSatisfying(CodegenPoll.Failed.class, failed -> {
            assertThat(failed.error().code()).isEqualTo(StepError.INVALID_RESPONSE);
            assertThat(failed.error().message()).contains("'..'");
        });
    }

    @Test
    void codegenWhosePatchesTheValidationApplies_needsNoWorkspaceButStillRefusesUnsafePaths() throws Exception {
        String evil = "--- a/../../etc/cron.d/x\n+++ b/../../etc/cron.d/x\n@@ -0,0 +1 @@\n+* * * * * root sh\n";
        server.enqueue(new MockResponse.Builder()
                .body(completion(codegenAnswer(PATCH), "stop"))
                .build());
        server.enqueue(new MockResponse.Builder()
                .body(completion(codegenAnswer(evil), "stop"))
                .build());
        CodegenEngine engine = factory.codegenAppliedByValidation(config(url()).build());

        assertThat(generate(engine)).isInstanceOfSatisfying(CodegenPoll.Succeeded.class, done -> {
            assertThat(done.result().patch()).isEqualTo(PATCH);
            assertThat(done.result().files()).containsExactly("src/Login.java");
            assertThat(done.result().reference()).isNull();
        });
        assertThat(generate(engine)).isInstanceOfSatisfying(CodegenPoll.Failed.class, failed -> {
            assertThat(failed.error().code()).isEqualTo(StepError.INVALID_RESPONSE);
            assertThat(failed.error().message()).contains("'..'");
        });
    }

    @Test
    void azure_usesTheDeploymentUrlApiVersionAndApiKeyHeader() throws Exception {
        server.enqueue(success().build());
        EngineConfig azure = EngineConfig.builder(EngineKind.AZURE_OPENAI)
                .url(url())
                .model("my-deployment")
                .apiVersion("2024-10-21")
                .credentials(CredentialSource.of(new Credential.ApiKeyHeader("api-key", Secret.of(SECRET))))
                .build();

        Outcomes.result(analyze(azure, TestContext.step(StepType.ANALYSIS)));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-deployment/chat/completions");
        assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2024-10-21");
        assertThat(request.getHeaders().get("api-key")).isEqualTo(SECRET);
        assertThat(request.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void ollamaStyleServer_withoutCredentialsOrStructuredOutput() throws Exception {
        server.enqueue(success().build());
        EngineConfig ollama = EngineConfig.builder(EngineKind.OPENAI)
                .url(url() + "v1")
                .model("llama3.2")
                .structuredOutput(false)
                .build();

        Outcomes.result(analyze(ollama, TestContext.step(StepType.ANALYSIS)));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(Json.mapper().readTree(request.getBody().utf8()).has("response_format"))
                .isFalse();
    }

    static String codegenAnswer(String patch) {
        return Json.write(Json.object()
                .put("summary", "adds Login")
                .put("patch", patch)
                .set("files", Json.mapper().createArrayNode().add("src/Login.java")));
    }

    static CodegenPoll generate(CodegenEngine engine) {
        TaskSpec task = new TaskSpec("T1", "Login", "", List.of(), List.of(), List.of());
        return Jobs.run(engine, new CodegenRequest("req", null, null, task), TestContext.step(StepType.CODEGEN));
    }
}
