package io.voltworkflow.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.AccessToken;
import io.voltworkflow.server.CicdServer;
import io.voltworkflow.server.ServerOptions;
import io.voltworkflow.server.testing.OpenApiContract;
import io.voltworkflow.server.testing.OpenApiContractInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The real server on a loopback port over an orchestrator it owns, with one full and one read-only token, and an
 * HTTP client that keeps every reply (status, headers and body) for later inspection.
 */
public final class ServerUnderTest implements AutoCloseable {
    public static final MediaType JSON = MediaType.get("application/json");

    public final CicdServer server;
    /** Every API call is held to docs/openapi.yaml; a breach fails the call. */
    public final OkHttpClient http = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(30))
            .addInterceptor(new OpenApiContractInterceptor(OpenApiContract.get()))
            .build();

    private final List<Reply> replies = new ArrayList<>();

    /** A reply as the client saw it. */
    public record Reply(int status, String headers, String body) {
        public JsonNode json() {
            try {
                return WorkflowJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    public ServerUnderTest(WorkflowOrchestrator orchestrator, String fullToken, String readToken) {
        this.server = CicdServer.start(
                orchestrator,
                ServerOptions.builder()
                        .port(0)
                        .tokens(List.of(
                                AccessToken.of(fullToken, AccessToken.Access.FULL),
                                AccessToken.of(readToken, AccessToken.Access.READ_ONLY)))
                        .build(),
                true);
    }

    /** OkHttp's resolution: lenient, so hostile paths and queries reach the server (escaped where they must be). */
    public String url(String path) {
        return HttpUrl.get(server.url().toString()).resolve(path).toString();
    }

    public Reply call(String method, String path, String token, String jsonBody) {
        Request.Builder request = new Request.Builder()
                .url(url(path))
                .method(
                        method,
                        jsonBody == null
                                ? (method.equals("GET") || method.equals("HEAD")
                                        ? null
                                        : RequestBody.create(new byte[0]))
                                : RequestBody.create(jsonBody, JSON));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return call(request.build());
    }

    public Reply call(Request request) {
        try (Response response = http.newCall(request).execute()) {
            Reply reply = new Reply(
                    response.code(),
                    response.headers().toString(),
                    response.body().string());
            synchronized (replies) {
                replies.add(reply);
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Reply> replies() {
        synchronized (replies) {
            return List.copyOf(replies);
        }
    }

    @Override
    public void close() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
