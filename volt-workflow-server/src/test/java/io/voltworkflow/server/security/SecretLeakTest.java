package io.voltworkflow.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.eclipse.jetty.logging.JettyLevel;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.StdErrAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 7, secrets: sessions with the right, a wrong and a read-only token (headers, the stream's
 * {@code ?access_token=}, MCP) leave none of them in any log line, response, event, status or metric, with the
 * server's and the MCP SDK's logging at DEBUG. Jetty stays at its shipped level: at DEBUG its HTTP parser prints
 * request headers and URLs, tokens included, whatever the scheme (docs/api.md warns about it).
 */
class SecretLeakTest {
    private static final String WRONG = "wrong-secret-4f1d9c2a7b";
    private static final List<String> SECRETS = List.of(ServerFixture.FULL_TOKEN, ServerFixture.READ_TOKEN, WRONG);

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final List<String> seen = new ArrayList<>();
    private final StdErrAppender appender =
            (StdErrAppender) ((JettyLogger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getAppender();
    private final PrintStream originalStream = appender.getStream();
    private final PrintStream originalErr = System.err;
    private List<JettyLogger> raised = List.of();
    private List<JettyLevel> originalLevels = List.of();
    private ServerFixture fixture;
    private WorkflowId id;

    @BeforeEach
    void start() {
        PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
        appender.setStream(capture);
        System.setErr(capture);
        fixture = new ServerFixture();
        id = fixture.createStarted("secrets stay secret");
        fixture.awaitTermination(id);
    }

    @AfterEach
    void stop() {
        fixture.close();
        for (int i = 0; i < raised.size(); i++) {
            raised.get(i).setLevel(originalLevels.get(i));
        }
        appender.setStream(originalStream);
        System.setErr(originalErr);
    }

    @Test
    void tokensStayOutOfLogsResponsesEventsAndState() throws Exception {
        debug("io.voltworkflow", "io.modelcontextprotocol");
        for (String token : SECRETS) {
            for (String path : List.of("/api/v1/workflows", "/api/v1/workflows/" + id, "/metrics", "/api/v1/nothing")) {
                seen.add(record(fixture.call(new Request.Builder()
                        .url(fixture.url(path))
                        .header("Authorization", "Bearer " + token)
                        .build())));
            }
            seen.add(record(fixture.call(new Request.Builder()
                    .url(fixture.url("/api/v1/workflows/" + id + "/cancel"))
                    .header("Authorization", "Bearer " + token)
                    .post(RequestBody.create("{\"reason\":1}", ServerFixture.JSON))
                    .build())));
            seen.add(record(fixture.call(new Request.Builder()
                    .url(fixture.url("/mcp"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json, text/event-stream")
                    .post(RequestBody.create(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                                    + "{\"name\":\"create_workflow\",\"arguments\":{\"requirement\":\"x\"}}}",
                            ServerFixture.JSON))
                    .build())));
            seen.add(stream("/api/v1/workflows/" + id + "/stream?after=0&access_token=" + token));
        }
        assertNoSecretAnywhere();
        assertThat(logs.size()).as("DEBUG lines were captured").isPositive();
    }

    private void assertNoSecretAnywhere() {
        seen.add(WorkflowJson.write(fixture.orchestrator.events(id, 0, 1000)));
        seen.add(WorkflowJson.write(fixture.orchestrator.listWorkflows(WorkflowQuery.ALL)));
        seen.add(WorkflowJson.write(fixture.orchestrator.getWorkflowAnalytics()));
        seen.add(fixture.get("/metrics").body());
        seen.add(logs.toString(StandardCharsets.UTF_8));
        for (String secret : SECRETS) {
            assertThat(seen).as("texts containing a secret").noneMatch(text -> text.contains(secret));
        }
    }

    /** After start-up, so loggers created during start-up take the level too. */
    private void debug(String... names) {
        raised = Stream.of(names)
                .map(name -> (JettyLogger) LoggerFactory.getLogger(name))
                .toList();
        originalLevels = raised.stream().map(JettyLogger::getLevel).toList();
        raised.forEach(logger -> logger.setLevel(JettyLevel.DEBUG));
    }

    private static String record(Reply reply) {
        return reply.status() + " " + reply.headers() + " " + reply.body();
    }

    private String stream(String path) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        fixture.http.newWebSocket(new Request.Builder().url(fixture.url(path)).build(), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                first.complete(text);
                webSocket.close(1000, "done");
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                first.complete(response == null ? String.valueOf(t) : response.code() + " " + response.headers());
            }
        });
        return first.get(30, TimeUnit.SECONDS);
    }
}
