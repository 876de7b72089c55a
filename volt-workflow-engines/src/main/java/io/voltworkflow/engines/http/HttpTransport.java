package io.voltworkflow.engines.http;

import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The one HTTP client of a host: one connection pool and one dispatcher shared by every engine, each engine with
 * its own timeouts. Close it when the host shuts down.
 */
public final class HttpTransport implements AutoCloseable {
    private final OkHttpClient client;

    private HttpTransport(OkHttpClient client) {
        this.client = client;
    }

    public static HttpTransport create() {
        return create(UnaryOperator.identity());
    }

    /**
     * A transport whose client the host adapts, e.g. Jenkins applying its proxy settings
     * ({@code JenkinsOkHttpClient.newClientBuilder(client).build()}).
     */
    public static HttpTransport create(UnaryOperator<OkHttpClient> host) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(128);
        dispatcher.setMaxRequestsPerHost(32);
        return new HttpTransport(host.apply(new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
                // Retries are the orchestrator's decision, counted against the step's retry policy: never hidden here.
                .retryOnConnectionFailure(false)
                .build()));
    }

    /**
     * An engine's view of the transport. {@code engine} names it in errors and logs; {@code headers} are sent with
     * every request and must not hold secrets (those come from {@code credentials}).
     */
    public HttpEndpoint endpoint(
            String engine, HttpOptions options, CredentialSource credentials, Map<String, String> headers) {
        OkHttpClient configured = client.newBuilder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .writeTimeout(options.readTimeout())
                .callTimeout(options.callTimeout())
                .build();
        return new HttpEndpoint(configured, engine, options, credentials, headers);
    }

    /**
     * One GET for a configuration check, outside any workflow: the reply's status and at most {@code maxBody} bytes of
     * its body, or the I/O failure. Never retried, never part of a step.
     */
    public Probe probe(
            HttpUrl url, HttpOptions options, Credential credential, Map<String, String> headers, int maxBody) {
        Request.Builder request = new Request.Builder().url(url).get().header("Accept", "application/json");
        headers.forEach(request::header);
        HttpEndpoint.authenticate(request, credential);
        OkHttpClient configured = client.newBuilder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .callTimeout(options.connectTimeout().plus(options.readTimeout()))
                .build();
        try (Response response = configured.newCall(request.build()).execute()) {
            okio.BufferedSource source = response.body().source();
            source.request(maxBody);
            long available = Math.min(source.getBuffer().size(), maxBody);
            return new Probe(
                    response.code(),
                    source.getBuffer().readString(available, java.nio.charset.StandardCharsets.UTF_8),
                    null);
        } catch (IOException e) {
            return new Probe(0, "", e);
        }
    }

    /** A check's reply: {@code status} 0 and {@code failure} set when no HTTP reply came. */
    public record Probe(int status, String body, @Nullable IOException failure) {}

    @Override
    public void close() {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
