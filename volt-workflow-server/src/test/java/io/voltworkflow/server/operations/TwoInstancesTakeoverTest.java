package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.testing.OpenApiCheckedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `volt serve` processes on one PostgreSQL (the one .ci/install-postgres.sh starts). Instance A runs a workflow;
 * B lists it, streams its events and relays pause and resume to A; then A is SIGKILLed while its validation runs
 * and B takes the workflow over once A's lease expires, re-issues the validation and finishes the workflow. Real
 * processes, real HTTP, real database.
 */
class TwoInstancesTakeoverTest {
    private static final String URL =
            System.getenv().getOrDefault("VOLT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/volt");
    private static final String USER = System.getenv().getOrDefault("VOLT_TEST_PG_USER", "volt");
    private static final String PASSWORD = System.getenv().getOrDefault("VOLT_TEST_PG_PASSWORD", "volt");

    @TempDir
    Path dir;

    private final String schema = "takeover_" + Long.toHexString(System.nanoTime());
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = OpenApiCheckedHttpClient.create();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            ServeProcess.kill(process);
        }
        try (var connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void whenAServerIsKilledMidRunAnotherInstanceFinishesItsWorkflow() throws Exception {
        URI a = serve("a", "sleep 600");
        URI b = serve("b", "true");

        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(a.resolve("api/v1/workflows"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"requirement\":\"Build a REST API for user management\","
                                        + "\"start\":true,\"options\":{\"workflowId\":\"wf-takeover\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode startedOnA =
                awaitEvent(a, "wf-takeover", "step_started", "Validate").get(120, TimeUnit.SECONDS);

        // B answers for the workflow A runs: it lists it and streams its events, those A stores later included.
        HttpResponse<String> listedOnB = http.send(
                HttpRequest.newBuilder(b.resolve("api/v1/workflows")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listedOnB.statusCode()).as(listedOnB.body()).isEqualTo(200);
        assertThat(WorkflowJson.mapper().readTree(listedOnB.body()).get("workflows"))
                .extracting(workflow -> workflow.get("workflowId").asText())
                .containsExactly("wf-takeover");
        CompletableFuture<JsonNode> resumedSeenOnB = awaitEvent(b, "wf-takeover", "workflow_resumed", "");
        // Control requests reaching B are relayed to A, which holds the lease, and answered with A's outcome.
        assertThat(control(b, "pause").get("state").asText()).isEqualTo("paused");
        assertThat(control(b, "resume").get("state").asText()).isEqualTo("running");
        assertThat(resumedSeenOnB.get(120, TimeUnit.SECONDS).get("sequence").asLong())
                .isGreaterThan(startedOnA.get("sequence").asLong());

        Process instanceA = processes.get(0);
        ServeProcess.kill(instanceA);

        JsonNode done = awaitState(b, "wf-takeover", "completed");
        assertThat(done.get("steps"))
                .allSatisfy(step -> assertThat(step.get("state").asText()).isEqualTo("completed"));
        JsonNode validation = null;
        for (JsonNode step : done.get("steps")) {
            if (step.get("type").asText().equals("validation")) {
                validation = step;
            }
        }
        assertThat(validation).isNotNull();
        assertThat(validation.get("idempotencyKey").asText())
                .isEqualTo(startedOnA.at("/data/idempotencyKey").asText());
        HttpResponse<String> events = http.send(
                HttpRequest.newBuilder(b.resolve("api/v1/workflows/wf-takeover/events?limit=1000"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> reissued = new ArrayList<>();
        WorkflowJson.mapper().readTree(events.body()).get("events").forEach(event -> {
            if (event.get("type").asText().equals("step_started")
                    && event.at("/data/reissued").asBoolean()) {
                reissued.add(event);
            }
        });
        // Only the step A had running is re-issued (more than once if a lease lapsed again under load), never a
        // completed one.
        assertThat(reissued)
                .isNotEmpty()
                .extracting(e -> e.get("step").asText())
                .containsOnly(validation.get("name").asText());
    }

    private JsonNode control(URI server, String action) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(server.resolve("api/v1/workflows/wf-takeover/" + action))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(action + ": " + answer.body()).isEqualTo(200);
        return WorkflowJson.mapper().readTree(answer.body());
    }

    /** Starts `serve` in a child JVM; returns its base URL once it prints it. */
    private URI serve(String instance, String validation) throws IOException {
        ServeProcess serve = ServeProcess.start(
                instance,
                "io.voltworkflow.server.cli.Main",
                List.of(
                        "serve",
                        "--port",
                        "0",
                        "--no-auth",
                        "--store",
                        "postgres",
                        "--store-url",
                        URL,
                        "--data-dir",
                        dir.resolve(instance).toString(),
                        "--instance-id",
                        "instance-" + instance,
                        "--lease-ttl-ms",
                        "2000",
                        "--validate-with",
                        validation),
                Map.of(
                        "VOLT_WORKFLOW_PG_USER",
                        USER,
                        "VOLT_WORKFLOW_PG_PASSWORD",
                        PASSWORD,
                        "VOLT_WORKFLOW_PG_SCHEMA",
                        schema));
        processes.add(serve.process());
        return serve.url();
    }

    /** The first event of {@code type} for a step named so, from the workflow's stream on {@code server}. */
    @SuppressWarnings(
            "FutureReturnValueIgnored") // the returned future reports the outcome; the socket's are not needed
    private CompletableFuture<JsonNode> awaitEvent(URI server, String id, String type, String stepPrefix) {
        CompletableFuture<JsonNode> seen = new CompletableFuture<>();
        URI stream = URI.create("ws://" + server.getAuthority() + "/api/v1/workflows/" + id + "/stream?after=0");
        http.newWebSocketBuilder().buildAsync(stream, new WebSocket.Listener() {
            private final StringBuilder frame = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                frame.append(data);
                if (last) {
                    try {
                        JsonNode event = WorkflowJson.mapper().readTree(frame.toString());
                        if (event.get("type").asText().equals(type)
                                && event.get("step").asText("").startsWith(stepPrefix)) {
                            seen.complete(event);
                            socket.sendClose(WebSocket.NORMAL_CLOSURE, "seen");
                        }
                    } catch (IOException e) {
                        seen.completeExceptionally(e);
                    }
                    frame.setLength(0);
                }
                socket.request(1);
                return null;
            }
        });
        return seen;
    }

    /**
     * Instance B learns of the workflow only when it takes it over (after A's lease expires), so its status is polled
     * until the state is reached, with a short pause between requests, for at most two minutes.
     */
    private JsonNode awaitState(URI server, String id, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(server.resolve("api/v1/workflows/" + id))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            last = response.body();
            if (response.statusCode() == 200) {
                JsonNode status = WorkflowJson.mapper().readTree(last);
                if (status.get("state").asText().equals(state)) {
                    return status;
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        throw new AssertionError(
                "workflow " + id + " never became " + state + " on " + server + "; last answer: " + last);
    }
}
