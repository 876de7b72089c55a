package io.voltworkflow.server.internal.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before any handler sees them (a malformed URI, an ambiguous path, a bad header) get the
 * API's error shape too, instead of Jetty's HTML page; server errors never describe their cause.
 */
public final class ApiErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request, Response response, int status, String message, Throwable cause, Callback callback) {
        ApiError error =
                switch (status) {
                    case 404 -> ApiError.notFound("no such resource");
                    case 405 -> new ApiError(405, ApiError.METHOD_NOT_ALLOWED, "method not allowed", null);
                    case 413 -> new ApiError(413, ApiError.PAYLOAD_TOO_LARGE, "request too large", null);
                    case 415 -> new ApiError(415, ApiError.UNSUPPORTED_MEDIA_TYPE, "unsupported media type", null);
                    default ->
                        status >= 500
                                ? new ApiError(
                                        status,
                                        ApiError.INTERNAL_ERROR,
                                        "the server could not handle the request",
                                        null)
                                : new ApiError(
                                        status,
                                        ApiError.INVALID_REQUEST,
                                        "malformed request"
                                                + (message == null || message.isBlank() ? "" : ": " + message),
                                        null);
                };
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(true, ByteBuffer.wrap(error.toJson().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
