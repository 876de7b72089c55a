package io.voltworkflow.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.AccessToken;
import io.voltworkflow.server.CicdServer;
import io.voltworkflow.server.ServerOptions;
import io.voltworkflow.server.VoltWorkflow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The spec's CI/CD API server: start the server, create a workflow with a POST as a CI job would, and follow it over
 * the WebSocket stream until it completes.
 */
public final class CicdPipeline {
    private static final String TOKEN = "example-token-change-me-0123456789";

    private CicdPipeline() {}

    public static void main(String[] args) throws Exception {
        System.out.println("Final state: " + run().path("state").asText());
    }

    static JsonNode run() throws Exception {
        ServerOptions serverOptions = ServerOptions.builder()
                .port(0)
                .tokens(List.of(AccessToken.of(TOKEN, AccessToken.Access.FULL)))
                .build();
        OrchestratorOptions orchestratorOptions =
                OrchestratorOptions.builder().engines(ExampleEngines.create()).build();
        try (CicdServer server = VoltWorkflow.createCICDServer(serverOptions, orchestratorOptions)) {
            System.out.println("Serving " + server.url());
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(server.url().resolve("api/v1/workflows"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"requirement\":\"Build a REST API for user management and an admin page\","
                                            + "\"projectContext\":{\"language\":\"Java\"},\"start\":true}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = WorkflowJson.mapper()
                    .readTree(created.body())
                    .get("workflowId")
                    .asText();
            System.out.println("Created " + id + " (HTTP " + created.statusCode() + ")");

            CompletableFuture<Void> finished = new CompletableFuture<>();
            URI stream = URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/workflows/" + id + "/stream?after=0");
            WebSocket socket = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TOKEN)
                    .buildAsync(stream, new EventPrinter(finished))
                    .get(30, TimeUnit.SECONDS);
            finished.get(1, TimeUnit.MINUTES);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(server.url().resolve("api/v1/workflows/" + id))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return WorkflowJson.mapper().readTree(status.body());
        }
    }

    /** Prints each event frame; completes when the workflow reaches a final event. */
    private static final class EventPrinter implements WebSocket.Listener {
        private final CompletableFuture<Void> finished;
        private final StringBuilder frame = new StringBuilder();

        EventPrinter(CompletableFuture<Void> finished) {
            this.finished = finished;
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                try {
                    JsonNode event = WorkflowJson.mapper().readTree(frame.toString());
                    System.out.println("#" + event.get("sequence").asLong() + " "
                            + event.get("type").asText()
                            + (event.get("step").isNull()
                                    ? ""
                                    : " " + event.get("step").asText()));
                    String type = event.get("type").asText();
                    if (type.equals("workflow_completed")
                            || type.equals("workflow_failed")
                            || type.equals("workflow_cancelled")) {
                        finished.complete(null);
                    }
                } catch (java.io.IOException e) {
                    finished.completeExceptionally(e);
                }
                frame.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            finished.completeExceptionally(error);
        }
    }
}
