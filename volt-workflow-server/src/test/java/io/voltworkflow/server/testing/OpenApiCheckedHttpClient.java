package io.voltworkflow.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK's HTTP client, with every API exchange held to docs/openapi.yaml like {@link ServerFixture}'s OkHttp
 * client ({@link OpenApiContract}): a breach fails the call with an {@link AssertionError}. Tests that talk to a
 * server in another process use {@link #create()} instead of {@code HttpClient.newHttpClient()}.
 */
public final class OpenApiCheckedHttpClient extends HttpClient {
    private final HttpClient delegate;
    private final OpenApiContract contract = OpenApiContract.get();

    private OpenApiCheckedHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    public static HttpClient create() {
        return new OpenApiCheckedHttpClient(HttpClient.newHttpClient());
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpResponse<T> response = delegate.send(request, handler);
        check(request, response);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, handler).thenApply(response -> check(request, response));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request,
            HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, handler, pushPromiseHandler).thenApply(response -> check(request, response));
    }

    private <T> HttpResponse<T> check(HttpRequest request, HttpResponse<T> response) {
        URI uri = request.uri();
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&", -1)) {
                String[] kv = pair.split("=", 2);
                query.computeIfAbsent(decode(kv[0]), k -> new java.util.ArrayList<>())
                        .add(kv.length == 2 ? decode(kv[1]) : "");
            }
        }
        String responseBody = response.body() instanceof String text ? text : null;
        List<String> breaches = contract.check(new OpenApiContract.Exchange(
                request.method(),
                uri.getRawPath(),
                query,
                request.headers().map(),
                body(request),
                response.statusCode(),
                response.headers().map(),
                responseBody));
        if (!breaches.isEmpty()) {
            throw new AssertionError(
                    request.method() + " " + uri + " breaks docs/openapi.yaml: " + String.join("; ", breaches));
        }
        return response;
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** The body a publisher sends; the JDK's string and byte publishers replay it for every subscriber. */
    private static String body(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.join();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** WebSocket handshakes are not checked (the JDK hides their response); OkHttp's are, in {@link ServerFixture}. */
    @Override
    public java.net.http.WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
