package io.voltworkflow.server.internal.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes complete responses; every API response is uncacheable and sniff-proof. */
public final class HttpResponses {
    public static final String JSON = "application/json; charset=utf-8";

    private HttpResponses() {}

    public static void json(Response response, Callback callback, int status, String body) {
        write(response, callback, status, JSON, body);
    }

    public static void error(Response response, Callback callback, ApiError error) {
        if (error.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"volt-workflow\"");
        }
        json(response, callback, error.status(), error.toJson());
    }

    public static void write(Response response, Callback callback, int status, String contentType, String body) {
        write(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
