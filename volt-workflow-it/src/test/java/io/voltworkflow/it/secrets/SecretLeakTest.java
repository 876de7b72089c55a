package io.voltworkflow.it.secrets;

import static io.voltworkflow.it.support.VoltEngineStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.it.support.CapturedOutput;
import io.voltworkflow.it.support.EventStream;
import io.voltworkflow.it.support.ServerUnderTest;
import io.voltworkflow.it.support.ServerUnderTest.Reply;
import io.voltworkflow.it.support.VoltEngineStub;
import io.voltworkflow.it.support.VoltEngineStub.Operation;
import io.voltworkflow.server.AccessToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One workflow through the whole product — REST API, WebSocket stream, MCP, orchestrator, file store, Volt engines
 * with a bearer token, an API-key header and basic auth — against an engine that echoes the credentials it receives
 * in error bodies and in its results. Afterwards every secret (and its base64 form and fragments) is searched for
 * in everything captured: stdout, stderr and every log record at every level, every event, the store's files,
 * every API reply and stream frame, error messages and the configuration objects' toString.
 */
class SecretLeakTest {
    private static final String BEARER_SECRET = "vwsk-bearer-7Qx2Lm9Pz4Rt8Kd1Hs6Jf3Nb";
    private static final String API_KEY_SECRET = "vwsk-apikey-Zr4Tq8Mn2Kx7Lp1Hd5Gs9F";
    private static final String BASIC_USER = "ci-bot";
    private static final String BASIC_SECRET = "vwsk-basic-Bq3Nw8Xs1Kd6Tf2Lr9Hm4Pz";
    private static final String API_TOKEN = "vwapi-full-Wv6Jc3Fb9Gs5Hd1Lp7Kx2Mn";
    private static final String READ_TOKEN = "vwapi-read-Gv5Jc7Pz4Hm9Lr2Tf6Kd1Xs";

    private static final String BASIC_HEADER_VALUE =
            Base64.getEncoder().encodeToString((BASIC_USER + ":" + BASIC_SECRET).getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path storeDirectory;
    /** Source name to everything captured from it, filled once by {@link #runTheProductAgainstALeakyEngine()}. */
    private static final Map<String, String> SEARCHED = new LinkedHashMap<>();

    @Test
    void noSecretValueAppearsInAnythingTheProductWritesOrAnswers() {
        List<String> leaks = occurrences(secretTerms());
        System.out.printf(
                "secrets: 5 secrets (%d search terms with fragments), %d sources, %,d characters searched, "
                        + "%d occurrences; echoed basic-auth header: %d sources (engines gap)%n",
                secretTerms().size(),
                SEARCHED.size(),
                SEARCHED.values().stream().mapToLong(String::length).sum(),
                leaks.size(),
                occurrences(List.of(BASIC_HEADER_VALUE)).size());
        assertThat(leaks).isEmpty();
    }

    /** An engine that echoes the Authorization header it received leaks basic-auth credentials in base64. */
    @Test
    void noEncodedCredentialAppearsEither() {
        assertThat(occurrences(List.of(BASIC_HEADER_VALUE))).isEmpty();
    }

    private static List<String> occurrences(List<String> terms) {
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> source : SEARCHED.entrySet()) {
            for (String term : terms) {
                int at = source.getValue().indexOf(term);
                if (at >= 0) {
                    leaks.add(source.getKey() + " contains '" + term + "' at " + at + ": …"
                            + source.getValue()
                                    .substring(
                                            Math.max(0, at - 80),
                                            Math.min(source.getValue().length(), at + term.length() + 20))
                            + "…");
                }
            }
        }
        return leaks;
    }

    @BeforeAll
    static void runTheProductAgainstALeakyEngine() throws Exception {
        Map<String, String> searched = SEARCHED;
        List<String> frames = new ArrayList<>();
        List<String> errorMessages = new ArrayList<>();
        VoltEngineStub engine = new VoltEngineStub()
                .echoCredentials(Operation.ANALYZE, 401)
                .echoCredentials(Operation.ANALYZE, 500)
                .echoCredentials(Operation.SUBMIT, 500)
                .echoCredentials(Operation.VALIDATE, 500);
        engine.fail(Operation.POLL, json(200, """
        {"status":"succeeded","result":{"summary":"generated with key %s","patch":"diff --git a/x b/x\\n+key=%s",
         "files":["x"],"reference":"patch://job-1","generator":"stub"}}""".formatted(API_KEY_SECRET, API_KEY_SECRET)));
        engine.fail(Operation.VALIDATE, json(200, """
        {"passed":true,"tests":1,"failures":0,"errors":0,"skipped":0,"summary":"env VOLT_TOKEN=%s",
         "findings":["%s"]}""".formatted(BASIC_SECRET, BASIC_SECRET)));

        try (CapturedOutput output = CapturedOutput.start();
                MockWebServer engineServer = new MockWebServer();
                EngineFactory factory = EngineFactory.create()) {
            engineServer.setDispatcher(engine);
            engineServer.start();
            List<EngineConfig> configs = engineConfigs(engineServer.url("/").toString());
            WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                    .store(new FileWorkflowStore(storeDirectory))
                    .engines(factory.engines(new EnginesConfig(configs.get(0), configs.get(1), configs.get(2))))
                    .retryPolicy(RetryPolicy.NO_RETRY)
                    .build());
            WorkflowId id;
            try (ServerUnderTest api = new ServerUnderTest(orchestrator, API_TOKEN, READ_TOKEN)) {
                id = WorkflowId.of(api.call(
                                "POST",
                                "/api/v1/workflows",
                                API_TOKEN,
                                "{\"requirement\":\"Users log in with email\",\"projectContext\":{\"language\":\"Java\"}}")
                        .json()
                        .get("workflowId")
                        .asText());
                int failures;
                try (EventStream stream = EventStream.open(api, id, API_TOKEN)) {
                    api.call("POST", "/api/v1/workflows/" + id + "/start", API_TOKEN, null);
                    failures = runToCompletionResumingFailures(api, id);
                    stream.awaitFrameContaining("\"workflow_completed\"");
                    frames.addAll(stream.frames());
                }

                assertThat(failures)
                        .as("each echoed credential failed one attempt")
                        .isEqualTo(4);
                exerciseTheRestOfTheApi(api, id);
                orchestrator
                        .events(id, 0, 10_000)
                        .forEach(r -> searched.merge("events", WorkflowJson.write(r) + "\n", String::concat));
                for (EventRecord record : orchestrator.events(id, 0, 10_000)) {
                    if (record.event() instanceof io.voltworkflow.core.event.WorkflowEvent.StepFailed failed) {
                        errorMessages.add(failed.error().message());
                    }
                }
                api.replies()
                        .forEach(r -> searched.merge(
                                "API replies", r.status() + "\n" + r.headers() + r.body() + "\n", String::concat));
                searched.put(
                        "configuration toString",
                        configs + " " + Secret.of(BEARER_SECRET) + " "
                                + new Credential.BasicAuth(BASIC_USER, Secret.of(BASIC_SECRET)) + " "
                                + AccessToken.of(API_TOKEN, AccessToken.Access.FULL));
            }
            searched.put("WebSocket frames", String.join("\n", frames));
            searched.put("error messages", String.join("\n", errorMessages));
            searched.put("store files", storeFiles());
            searched.put("stdout, stderr and " + output.logRecords() + " log lines", output.text());
        }

        assertThat(String.join("\n", errorMessages))
                .as("the engine's echoes reached the workflow, masked")
                .contains("rejected credentials: Bearer ****")
                .contains("rejected credentials: null ****")
                .contains("rejected credentials: Basic ");
        assertThat(searched.get("events")).contains("generated with key ****").contains("env VOLT_TOKEN=****");
    }

    private static List<EngineConfig> engineConfigs(String url) {
        return List.of(
                EngineConfig.builder(EngineKind.VOLT)
                        .url(url)
                        .credentials(CredentialSource.of(new Credential.BearerToken(Secret.of(BEARER_SECRET))))
                        .build(),
                EngineConfig.builder(EngineKind.VOLT)
                        .url(url)
                        .credentials(CredentialSource.of(
                                new Credential.ApiKeyHeader("X-Api-Key", Secret.of(API_KEY_SECRET))))
                        .build(),
                EngineConfig.builder(EngineKind.VOLT)
                        .url(url)
                        .credentials(CredentialSource.of(new Credential.BasicAuth(BASIC_USER, Secret.of(BASIC_SECRET))))
                        .build());
    }

    /** Every secret and the last 14 characters of each (a partly masked secret is still a leak). */
    private static List<String> secretTerms() {
        List<String> terms = new ArrayList<>();
        for (String secret : List.of(BEARER_SECRET, API_KEY_SECRET, BASIC_SECRET, API_TOKEN, READ_TOKEN)) {
            terms.add(secret);
            terms.add(secret.substring(secret.length() - 14));
        }
        return terms;
    }

    /** Starts the workflow's engine calls again after each failure the echoed credentials cause. */
    private static int runToCompletionResumingFailures(ServerUnderTest api, WorkflowId id) {
        int failures = 0;
        while (true) {
            String state = awaitTerminalState(api, id);
            if (state.equals("completed")) {
                return failures;
            }
            assertThat(state).isEqualTo("failed");
            failures++;
            assertThat(failures).as("failures before completing").isLessThanOrEqualTo(4);
            assertThat(api.call("POST", "/api/v1/workflows/" + id + "/resume", API_TOKEN, null)
                            .status())
                    .isEqualTo(200);
        }
    }

    private static String awaitTerminalState(ServerUnderTest api, WorkflowId id) {
        String[] state = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            state[0] = api.call("GET", "/api/v1/workflows/" + id + "/status", API_TOKEN, null)
                    .json()
                    .get("state")
                    .asText();
            return state[0].equals("completed") || state[0].equals("failed") || state[0].equals("cancelled");
        });
        return state[0];
    }

    private static void exerciseTheRestOfTheApi(ServerUnderTest api, WorkflowId id) {
        for (String path : List.of(
                "/api/v1/workflows",
                "/api/v1/workflows/" + id,
                "/api/v1/workflows/" + id + "/events?after=0",
                "/api/v1/workflows/" + id + "/metrics",
                "/api/v1/analytics",
                "/metrics")) {
            assertThat(api.call("GET", path, API_TOKEN, null).status()).as(path).isEqualTo(200);
            assertThat(api.call("GET", path, READ_TOKEN, null).status())
                    .as(path)
                    .isEqualTo(200);
        }
        // Someone tries the engine's key, or a token in the stream's query string: refused without quoting it back.
        assertThat(api.call("GET", "/api/v1/workflows", BEARER_SECRET, null).status())
                .isEqualTo(401);
        assertThat(api.call("POST", "/api/v1/workflows/" + id + "/cancel", READ_TOKEN, null)
                        .status())
                .isEqualTo(403);
        assertThat(api.call(new Request.Builder()
                                .url(api.url(
                                        "/api/v1/workflows/" + id + "/stream?after=0&access_token=" + BASIC_SECRET))
                                .build())
                        .status())
                .isEqualTo(401);
        Reply mcp = api.call(new Request.Builder()
                .url(api.url("/mcp"))
                .header("Authorization", "Bearer " + API_TOKEN)
                .header("Accept", "application/json, text/event-stream")
                .post(okhttp3.RequestBody.create(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                                + "\"get_workflow_status\",\"arguments\":{\"workflowId\":\"" + id + "\"}}}",
                        ServerUnderTest.JSON))
                .build());
        assertThat(mcp.status()).isEqualTo(200);
    }

    private static String storeFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(storeDirectory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(file.getFileName())
                        .append('\n')
                        .append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .append('\n');
            }
        }
        assertThat(all.length()).as("the store holds the workflow").isGreaterThan(1000);
        return all.toString();
    }
}
