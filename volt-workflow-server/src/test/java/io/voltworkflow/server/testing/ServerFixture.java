package io.voltworkflow.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.server.AccessToken;
import io.voltworkflow.server.CicdServer;
import io.voltworkflow.server.ServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A real server on a loopback port over a real orchestrator with {@link TestEngines}, and an HTTP client that holds
 * every API call to docs/openapi.yaml (a breach fails the call, and {@link #close()}).
 */
public final class ServerFixture implements AutoCloseable {
    public static final String FULL_TOKEN = "full-token-0123456789abcdef";
    public static final String READ_TOKEN = "read-token-0123456789abcdef";
    public static final MediaType JSON = MediaType.get("application/json");

    public final TestEngines engines;
    public final InMemoryWorkflowStore store = new InMemoryWorkflowStore();
    public final WorkflowOrchestrator orchestrator;
    public final CicdServer server;
    /** Checks every API call made through {@link #http} against docs/openapi.yaml. */
    public final OpenApiContractInterceptor contract = new OpenApiContractInterceptor(OpenApiContract.get());

    public final OkHttpClient http = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(30))
            .addInterceptor(contract)
            .build();

    public ServerFixture() {
        this(2, UnaryOperator.identity());
    }

    public ServerFixture(int tasks, UnaryOperator<ServerOptions.Builder> customize) {
        this(tasks, (fixture, builder) -> customize.apply(builder));
    }

    /** {@code customize} may build on the fixture's store and orchestrator, which exist by then (webhooks do). */
    public ServerFixture(
            int tasks,
            java.util.function.BiFunction<ServerFixture, ServerOptions.Builder, ServerOptions.Builder> customize) {
        this(tasks, customize, UnaryOperator.identity());
    }

    /** As {@link #ServerFixture(int, java.util.function.BiFunction)}, with the test engines adapted (e.g. a delivery engine added). */
    public ServerFixture(
            int tasks,
            java.util.function.BiFunction<ServerFixture, ServerOptions.Builder, ServerOptions.Builder> customize,
            UnaryOperator<io.voltworkflow.core.engine.Engines> adapt) {
        this.engines = new TestEngines(tasks);
        this.orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(adapt.apply(engines.engines()))
                .retryPolicy(RetryPolicy.NO_RETRY)
                .build());
        ServerOptions options = customize
                .apply(
                        this,
                        ServerOptions.builder()
                                .port(0)
                                .tokens(List.of(
                                        AccessToken.of(FULL_TOKEN, AccessToken.Access.FULL),
                                        AccessToken.of(READ_TOKEN, AccessToken.Access.READ_ONLY))))
                .build();
        this.server = CicdServer.start(orchestrator, options, true);
    }

    public String url(String path) {
        return server.url().resolve(path).toString();
    }

    public Request.Builder request(String path) {
        return new Request.Builder().url(url(path)).header("Authorization", "Bearer " + FULL_TOKEN);
    }

    public Reply get(String path) {
        return call(request(path).get().build());
    }

    public Reply post(String path, String json) {
        return call(request(path).post(RequestBody.create(json, JSON)).build());
    }

    public Reply call(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            return new Reply(response.code(), body, response.headers().toMultimap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates (and starts) a workflow through the API; returns its id. */
    public WorkflowId createStarted(String requirement) {
        Reply reply = post("/api/v1/workflows", "{\"requirement\":\"" + requirement + "\",\"start\":true}");
        if (reply.status() != 201) {
            throw new AssertionError("create failed: " + reply);
        }
        return WorkflowId.of(reply.json().get("workflowId").asText());
    }

    public WorkflowStatus awaitTermination(WorkflowId id) {
        try {
            return orchestrator.awaitTermination(id).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("workflow " + id + " did not finish", e);
        }
    }

    @Override
    public void close() {
        http.connectionPool().evictAll();
        server.close();
        http.dispatcher().executorService().shutdown();
        contract.assertKept();
    }

    /** A response read whole. */
    public record Reply(int status, String body, java.util.Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return WorkflowJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public JsonNode error() {
            return json().get("error");
        }

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }
}
