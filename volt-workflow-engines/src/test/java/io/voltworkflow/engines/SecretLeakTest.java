package io.voltworkflow.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.testing.LogCapture;
import io.voltworkflow.engines.testing.TestContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every adapter with a distinctive secret against providers that echo it back (as OpenAI does in "incorrect
 * API key" errors, and as a careless agent CLI does by printing its environment), and searches everything the
 * engines produced — log lines, progress, provenance, usage, results, error messages, exceptions with their stack
 * traces, configuration dumps — for it.
 */
class SecretLeakTest {
    private static final String SECRET = "volt-LEAK-5ecr3t-9f8e7d6c";

    @TempDir
    Path directory;

    private final List<String> captured = new ArrayList<>();
    private final List<TestContext> contexts = new ArrayList<>();
    private MockWebServer server;
    private EngineFactory factory;
    private LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        logs = new LogCapture();
        server = new MockWebServer();
        server.start();
        factory = EngineFactory.create();
    }

    @AfterEach
    void stop() {
        factory.close();
        server.close();
        logs.close();
    }

    private TestContext context() {
        TestContext context = TestContext.step(StepType.ANALYSIS);
        contexts.add(context);
        return context;
    }

    private void capture(CompletionStage<?> stage) {
        try {
            captured.add(String.valueOf(stage.toCompletableFuture().join()));
        } catch (CompletionException e) {
            Throwable failure = e.getCause();
            captured.add(failure.toString());
            captured.add(String.valueOf(failure.getMessage()));
            if (failure instanceof EngineException engine) {
                captured.add(engine.error().toString());
            }
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            captured.add(trace.toString());
        }
    }

    private static MockResponse echo(int status) {
        return new MockResponse.Builder()
                .code(status)
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET
                        + ". You can find your API key at …\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
                .build();
    }

    private void runHttpAdapter(EngineConfig config, Function<String, String> successBody) throws Exception {
        captured.add(config.toString());
        captured.add(config.credentials().credential().toString());
        for (int status : new int[] {401, 429, 500}) {
            server.enqueue(echo(status));
            capture(factory.nlp(config).analyze(new AnalysisRequest("r", null), context()));
        }
        server.enqueue(new MockResponse.Builder()
                .body("not json, but the key " + SECRET)
                .build());
        capture(factory.nlp(config).analyze(new AnalysisRequest("r", null), context()));
        server.enqueue(new MockResponse.Builder()
                .body(successBody.apply("{\"summary\":\"key is " + SECRET
                        + "\",\"requirements\":[],\"complexity\":\"low\",\"proposedTasks\":[]}"))
                .build());
        capture(factory.nlp(config).analyze(new AnalysisRequest("r", null), context()));
        for (int i = 0; i < 5; i++) {
            okhttp3.Headers headers = server.takeRequest().getHeaders();
            String sent =
                    String.join("\n", headers.names().stream().map(headers::get).toList());
            assertThat(sent)
                    .as("the secret must actually be sent, or this test proves nothing")
                    .containsAnyOf(
                            SECRET,
                            Base64.getEncoder()
                                    .encodeToString(
                                            ("ci:" + SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    @Test
    void noAdapterLeaksTheSecret() throws Exception {
        Secret secret = Secret.of(SECRET);
        String url = server.url("/").toString();
        runHttpAdapter(
                EngineConfig.builder(EngineKind.OPENAI)
                        .url(url + "v1")
                        .model("m")
                        .credentials(CredentialSource.of(new Credential.BearerToken(secret)))
                        .build(),
                content -> "{\"choices\":[{\"message\":{\"content\":" + quote(content)
                        + "},\"finish_reason\":\"stop\"}]}");
        runHttpAdapter(
                EngineConfig.builder(EngineKind.ANTHROPIC)
                        .url(url)
                        .model("m")
                        .credentials(CredentialSource.of(new Credential.ApiKeyHeader("x-api-key", secret)))
                        .build(),
                content -> "{\"content\":[{\"type\":\"text\",\"text\":" + quote(content)
                        + "}],\"stop_reason\":\"end_turn\"}");
        runHttpAdapter(
                EngineConfig.builder(EngineKind.VOLT)
                        .url(url)
                        .credentials(CredentialSource.of(new Credential.BasicAuth("ci", secret)))
                        .build(),
                content -> content);
        runHttpAdapter(
                EngineConfig.builder(EngineKind.AZURE_OPENAI)
                        .url(url)
                        .model("d")
                        .credentials(CredentialSource.of(new Credential.ApiKeyHeader("api-key", secret)))
                        .build(),
                content -> "{\"choices\":[{\"message\":{\"content\":" + quote(content)
                        + "},\"finish_reason\":\"stop\"}]}");

        server.enqueue(new MockResponse.Builder()
                .body("{\"status\":\"failed\",\"error\":{\"message\":\"bad token " + SECRET + "\"}}")
                .build());
        EngineConfig volt = EngineConfig.builder(EngineKind.VOLT)
                .url(url)
                .credentials(CredentialSource.of(new Credential.BearerToken(secret)))
                .build();
        CompletionStage<CodegenPoll> poll = factory.codegen(volt).poll(new CodegenJob("j", "volt"), context());
        capture(poll);

        EngineConfig command = EngineConfig.builder(EngineKind.COMMAND)
                .workspace(directory)
                .credentials(CredentialSource.of(new Credential.BearerToken(secret)))
                .command(
                        List.of(
                                "sh",
                                "-c",
                                "env | grep VOLT_ENGINE_TOKEN >&2; "
                                        + "echo \"{\\\"error\\\":{\\\"message\\\":\\\"token $VOLT_ENGINE_TOKEN rejected\\\"}}\"; exit 1"))
                .build();
        captured.add(command.toString());
        TestContext commandContext = context();
        capture(factory.nlp(command).analyze(new AnalysisRequest("r", null), commandContext));
        assertThat(commandContext.progress)
                .as("the process did print its token (scrubbed)")
                .anyMatch(line -> line.contains("VOLT_ENGINE_TOKEN=****"));

        captured.add(secret.toString());
        contexts.forEach(context -> captured.addAll(context.everythingRecorded()));
        captured.addAll(logs.lines());

        assertThat(logs.lines()).as("adapters log their failures").isNotEmpty();
        assertThat(captured).as("%d captured texts", captured.size()).noneMatch(text -> text.contains(SECRET));
        assertThat(String.join("\n", captured)).contains("****");
    }

    @Test
    void aSecretHttpCannotCarryIsRefusedWithoutQuotingIt() {
        String unsendable = "clé-secrète-" + SECRET;
        EngineConfig config = EngineConfig.builder(EngineKind.ANTHROPIC)
                .url(server.url("/").toString())
                .model("m")
                .credentials(CredentialSource.of(new Credential.ApiKeyHeader("x-api-key", Secret.of(unsendable))))
                .build();

        capture(factory.nlp(config).analyze(new AnalysisRequest("r", null), context()));

        assertThat(String.join("\n", captured)).contains("cannot be sent").doesNotContain(SECRET);
        assertThat(server.getRequestCount()).isZero();
    }

    private static String quote(String text) {
        return io.voltworkflow.engines.internal.Json.write(new com.fasterxml.jackson.databind.node.TextNode(text));
    }
}
