package io.voltworkflow.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voltworkflow.server.testing.FakeOpenAi;
import io.voltworkflow.server.testing.OpenApiCheckedHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with configured engines: shortcuts, a configuration file, the engine check, and serve's profiles and reload. */
class EngineConfigurationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeOpenAi openai;
    private final CompletableFuture<Void> stop = new CompletableFuture<>();
    private final Captured out = new Captured();
    private final Captured err = new Captured();

    @BeforeEach
    void start() throws Exception {
        openai = new FakeOpenAi();
    }

    @AfterEach
    void close() {
        stop.complete(null);
        openai.close();
    }

    private Cli cli(Map<String, String> variables) {
        return new Cli(new CliEnvironment(out.stream, err.stream, variables, false, dir, ConfiguredEngines::new, stop));
    }

    private Map<String, String> openAiVariables(String key) {
        return Map.of("OPENAI_API_KEY", key, "OPENAI_BASE_URL", openai.url());
    }

    @Test
    void runWithTheOpenAiShortcut_generatesCodeWithTheModelAndAppliesItWhereValidationRuns() {
        int code = cli(openAiVariables(FakeOpenAi.KEY))
                .run(List.of(
                        "run",
                        "Add a greeting file",
                        "--engine",
                        "openai",
                        "--model",
                        FakeOpenAi.MODEL,
                        "--validate-with",
                        "test -f hello/T1.txt",
                        "--data-dir",
                        dir.toString()));

        assertThat(code).as(out.text() + err.text()).isEqualTo(0);
        assertThat(err.text())
                .contains("engines: profile 'openai' — analysis openai gpt-fake, code generation openai gpt-fake")
                .doesNotContain("offline engines")
                .doesNotContain(FakeOpenAi.KEY);
        assertThat(dir.resolve("workspace/hello/T1.txt")).hasContent("hello");
        assertThat(openai.operations).containsExactly("analyze", "create_tasks", "codegen");
    }

    @Test
    void aModelToldWhatWasWrongWithItsPlanAndPatch_correctsThemOnTheRetry() {
        openai.correctingItself();
        Map<String, String> variables = new java.util.HashMap<>(openAiVariables(FakeOpenAi.KEY));
        variables.put("WORKFLOW_RETRY_DELAY_MS", "1");

        int code = cli(variables)
                .run(List.of(
                        "run",
                        "Add a greeting file",
                        "--engine",
                        "openai",
                        "--model",
                        FakeOpenAi.MODEL,
                        "--validate-with",
                        "test -f hello/T1.txt",
                        "--data-dir",
                        dir.toString()));

        assertThat(code).as(out.text() + err.text()).isEqualTo(0);
        assertThat(openai.operations)
                .as(out.text())
                .containsExactly("analyze", "create_tasks", "create_tasks", "codegen", "codegen");
        assertThat(openai.prompts.get(1)).doesNotContain("previous_attempt_error");
        assertThat(openai.prompts.get(2)).contains("(INVALID_TASK_PLAN)").contains("unknown task 'T9'");
        assertThat(openai.prompts.get(4))
                .contains("(INVALID_RESPONSE)")
                .contains("does not apply")
                .contains("README.md");
        assertThat(dir.resolve("workspace/hello/T1.txt")).hasContent("hello");
    }

    @Test
    void codeThatFailsValidation_goesBackToTheModelWithTheFailureAndPassesInRepairRoundOne() {
        openai.repairingAfterValidation();

        int code = cli(openAiVariables(FakeOpenAi.KEY))
                .run(List.of(
                        "run",
                        "Add a greeting file",
                        "--engine",
                        "openai",
                        "--model",
                        FakeOpenAi.MODEL,
                        "--validate-with",
                        "grep -qx hello hello/T1.txt || { echo 'hello/T1.txt does not say hello'; exit 1; }",
                        "--data-dir",
                        dir.toString()));

        assertThat(code).as(out.text() + err.text()).isEqualTo(0);
        assertThat(openai.operations).containsExactly("analyze", "create_tasks", "codegen", "codegen");
        assertThat(openai.prompts.get(2)).doesNotContain("repair round");
        assertThat(openai.prompts.get(3))
                .contains("This is repair round 1 of 2")
                .contains("(VALIDATION_FAILED)")
                .contains("<previous_patch>")
                .contains("+helo")
                .contains("complete diff against the original files");
        assertThat(out.text())
                .contains("repairing Generate Code for Task T1: repair round 1 of 2 after validation of task T1 failed")
                .contains("started   Generate Code for Task T1 (repair round 1 of 2)")
                .contains("started   Validate Task T1 (repair round 1 of 2)")
                .containsPattern(
                        "progress  Generate Code for Task T1: openai:gpt-fake (generating: ~\\d+ tokens|answered: )")
                // The repair round's one code generation: 100 prompt + 20 completion tokens.
                .contains("Validation: 0 of 1 tasks passed first time; 1 repaired in 1 round, 1 passed; "
                        + "120 tokens per round");
        assertThat(dir.resolve("workspace/hello/T1.txt")).hasContent("hello");
    }

    @Test
    void withoutAnyEngineConfigured_theConsoleSaysTheBuiltInEnginesAreNotAi() {
        int code = cli(Map.of()).run(List.of("run", "Add a health check endpoint", "--data-dir", dir.toString()));

        assertThat(code).as(out.text() + err.text()).isEqualTo(0);
        assertThat(err.text())
                .containsOnlyOnce("offline engines: heuristic analysis and scaffold code generation, not AI — "
                        + "configure an engine: docs/engines.md");
    }

    @Test
    void enginesCheck_printsATableAndNamesTheCredentialTheEndpointRefused() {
        int ok = cli(openAiVariables(FakeOpenAi.KEY))
                .run(List.of("engines", "check", "--model", FakeOpenAi.MODEL, "--data-dir", dir.toString()));

        assertThat(ok).as(out.text() + err.text()).isEqualTo(0);
        assertThat(out.text())
                .containsPattern("openai\\*\\s+nlp\\s+openai\\s+gpt-fake\\s+yes\\s+yes\\s+yes")
                .contains("All engines usable.");

        int refused =
                cli(openAiVariables("sk-wrong-key")).run(List.of("engines", "check", "--data-dir", dir.toString()));

        assertThat(refused).isEqualTo(ExitCodes.FAILED);
        assertThat(out.text())
                .contains("HTTP 401: the credential was refused; check the credential 'openai'")
                .doesNotContain("sk-wrong-key");
    }

    @Test
    void configurationErrorsNameTheProblem() throws Exception {
        Path file = dir.resolve("volt.yaml");
        Files.writeString(file, "credentials:\n  openai: {value: sk-inline}\n");
        assertThat(cli(Map.of()).run(List.of("engines", "check", "--config", file.toString())))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.text())
                .contains("credentials.openai has unknown field(s) [value]")
                .contains("secrets themselves never go into the configuration file");

        Files.writeString(file, "engine:\n  profiles: {}\n");
        assertThat(cli(Map.of()).run(List.of("engines", "check", "--config", file.toString())))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.text())
                .contains("has unknown section(s) [engine]; known: [credentials, delivery, engines, webhooks]");

        Files.writeString(file, """
        credentials:
          openai: {env: MY_OPENAI_KEY}
        engines:
          profiles:
            cloud:
              nlp: {type: openai, model: gpt-fake, credentials: openai, url: "%s"}
        """.formatted(openai.url()));
        assertThat(cli(Map.of()).run(List.of("engines", "check", "--config", file.toString(), "--json")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(out.text()).contains("credential 'openai': environment variable MY_OPENAI_KEY is not set");
    }

    @Test
    void serveWithAConfigFile_workflowsChooseAProfile_andReloadKeepsTheServerRunning() throws Exception {
        Path secret = dir.resolve("openai.key");
        Files.writeString(secret, FakeOpenAi.KEY + "\n");
        Path file = dir.resolve("volt.yaml");
        Files.writeString(file, config(secret, "offline"));
        CompletableFuture<Integer> served =
                CompletableFuture.supplyAsync(() -> cli(Map.of("VOLT_WORKFLOW_VALIDATION_COMMAND", "true"))
                        .run(List.of(
                                "serve",
                                "--port",
                                "0",
                                "--no-auth",
                                "--config",
                                file.toString(),
                                "--data-dir",
                                dir.resolve("data").toString())));
        String base = out.await("serving (http://\\S+/)").group(1);
        HttpClient http = OpenApiCheckedHttpClient.create();

        JsonNode engines = get(http, base + "api/v1/engines");
        assertThat(engines.path("defaultProfile").asText()).isEqualTo("offline");
        assertThat(engines.path("ok").asBoolean()).as(engines.toString()).isTrue();
        assertThat(engines.toString()).doesNotContain(FakeOpenAi.KEY);

        HttpResponse<String> unknown = post(
                http,
                base + "api/v1/workflows",
                "{\"requirement\":\"Add a greeting file\",\"options\":{\"engineProfile\":\"https://evil.example\"}}");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body())
                .contains("no engine profile named 'https://evil.example'")
                .contains("[cloud, offline]");

        HttpResponse<String> created = post(
                http,
                base + "api/v1/workflows",
                "{\"requirement\":\"Add a greeting file\",\"start\":true,\"options\":{\"engineProfile\":\"cloud\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("workflowId").asText();
        JsonNode done = awaitTerminal(http, base + "api/v1/workflows/" + id);
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("labels").path("engine-profile").asText()).isEqualTo("cloud");
        assertThat(openai.operations).containsExactly("analyze", "create_tasks", "codegen");

        Files.writeString(file, config(secret, "cloud"));
        HttpResponse<String> reloaded = post(http, base + "api/v1/admin/reload", "");
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        assertThat(get(http, base + "api/v1/engines").path("defaultProfile").asText())
                .isEqualTo("cloud");

        Files.writeString(file, "engines: {profiles: {cloud: {nlp: {type: openai}}}}\n");
        HttpResponse<String> refused = post(http, base + "api/v1/admin/reload", "");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("INVALID_CONFIGURATION");
        assertThat(refused.body()).contains("the engines in use are kept").contains("needs 'model'");
        assertThat(get(http, base + "api/v1/engines").path("defaultProfile").asText())
                .isEqualTo("cloud");

        stop.complete(null);
        assertThat(served.get(60, TimeUnit.SECONDS)).isEqualTo(0);
    }

    private String config(Path secret, String defaultProfile) {
        return """
        credentials:
          openai: {file: "%s"}
        engines:
          default: %s
          profiles:
            offline: {}
            cloud:
              nlp:     {type: openai, url: "%s", model: gpt-fake, credentials: openai}
              codegen: {type: openai, url: "%s", model: gpt-fake, credentials: openai}
              budget:  {maxCostUsd: 5}
        """.formatted(secret, defaultProfile, openai.url(), openai.url());
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode awaitTerminal(HttpClient http, String url) {
        return org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> get(http, url),
                        status -> List.of("completed", "failed", "cancelled")
                                .contains(status.path("state").asText()));
    }
}
