package io.voltworkflow.server.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * Checks every exchange an OkHttp client makes with the API against docs/openapi.yaml ({@link OpenApiContract}).
 * A breach fails the call at once with an {@link AssertionError}, and is also kept so that {@link #assertKept()}
 * reports breaches of calls whose failure a test could not see (WebSocket upgrades run on OkHttp's threads).
 */
public final class OpenApiContractInterceptor implements Interceptor {
    private static final long MAX_CHECKED_BODY = 16L * 1024 * 1024;

    private final OpenApiContract contract;
    private final List<String> breaches = new ArrayList<>();

    public OpenApiContractInterceptor(OpenApiContract contract) {
        this.contract = contract;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Response response = chain.proceed(request);
        boolean upgrade = response.code() == 101;
        OpenApiContract.Exchange exchange = new OpenApiContract.Exchange(
                request.method(),
                request.url().encodedPath(),
                query(request.url()),
                requestHeaders(request),
                body(request.body()),
                response.code(),
                response.headers().toMultimap(),
                upgrade ? null : response.peekBody(MAX_CHECKED_BODY).string());
        List<String> found = contract.check(exchange);
        if (!found.isEmpty()) {
            String breach = request.method() + " " + request.url().encodedPath()
                    + (request.url().encodedQuery() == null
                            ? ""
                            : "?" + request.url().encodedQuery())
                    + " breaks docs/openapi.yaml: " + String.join("; ", found);
            synchronized (breaches) {
                breaches.add(breach);
            }
            response.close();
            throw new AssertionError(breach);
        }
        return response;
    }

    /** Fails with every breach seen so far. */
    public void assertKept() {
        synchronized (breaches) {
            if (!breaches.isEmpty()) {
                throw new AssertionError(
                        breaches.size() + " exchange(s) broke docs/openapi.yaml:\n" + String.join("\n", breaches));
            }
        }
    }

    private static Map<String, List<String>> query(HttpUrl url) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : url.queryParameterNames()) {
            query.put(
                    name,
                    url.queryParameterValues(name).stream()
                            .map(v -> v == null ? "" : v)
                            .toList());
        }
        return query;
    }

    private static Map<String, List<String>> requestHeaders(Request request) {
        Map<String, List<String>> headers =
                new LinkedHashMap<>(request.headers().toMultimap());
        // OkHttp adds the body's content type below the application interceptors; the server sees it.
        if (request.body() != null && request.body().contentType() != null && request.header("Content-Type") == null) {
            headers.put("Content-Type", List.of(request.body().contentType().toString()));
        }
        return headers;
    }

    private static String body(RequestBody body) throws IOException {
        if (body == null || body.isOneShot()) {
            return null;
        }
        Buffer buffer = new Buffer();
        body.writeTo(buffer);
        return buffer.size() == 0 ? null : buffer.readUtf8();
    }
}
