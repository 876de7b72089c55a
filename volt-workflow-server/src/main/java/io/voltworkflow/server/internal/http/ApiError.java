package io.voltworkflow.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.json.WorkflowJson;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Every refusal the API makes, in one stable shape: {@code {"error":{"code","message","field"}}}. {@code field}
 * names the offending request field (dotted path or query parameter), or is {@code null}. Messages never carry
 * internals: stack traces, file paths and secrets stay in the server log.
 */
public record ApiError(
        int status, String code, String message, @Nullable String field) {
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION";
    public static final String WORKFLOW_EXISTS = "WORKFLOW_EXISTS";
    public static final String WEBHOOK_EXISTS = "WEBHOOK_EXISTS";
    /** The webhook is defined in the configuration file and changes there. */
    public static final String WEBHOOK_CONFIGURED = "WEBHOOK_CONFIGURED";
    /** A webhook URL this server will not send to (an internal address not allow-listed). */
    public static final String WEBHOOK_TARGET_REFUSED = "WEBHOOK_TARGET_REFUSED";

    public static final String INVALID_CONFIGURATION = "INVALID_CONFIGURATION";
    public static final String UNKNOWN_ENGINE_PROFILE = "UNKNOWN_ENGINE_PROFILE";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String UNAVAILABLE = "UNAVAILABLE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    public ApiError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static ApiError invalid(@Nullable String field, String message) {
        return new ApiError(400, INVALID_REQUEST, message, field);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, NOT_FOUND, message, null);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, UNAUTHORIZED, message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, FORBIDDEN, message, null);
    }

    public static ApiError tooLarge(int limit) {
        return new ApiError(413, PAYLOAD_TOO_LARGE, "request body exceeds the limit of " + limit + " bytes", null);
    }

    public static ApiError internal(String incident) {
        return new ApiError(500, INTERNAL_ERROR, "internal error; the server log has incident " + incident, null);
    }

    /**
     * The message of a refused operation's exception for the client: our exceptions always carry one, so a missing one
     * is named by the exception's type rather than sent as {@code null}.
     */
    public static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message != null ? message : e.getClass().getSimpleName();
    }

    public String toJson() {
        ObjectNode body = WorkflowJson.mapper().createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("field", field);
        return body.toString();
    }

    /** A 405 for {@code method}; the response's {@code Allow} header lists {@code allowed}. */
    public static Failure methodNotAllowed(String method, java.util.List<String> allowed) {
        return new Failure(
                new ApiError(
                        405,
                        METHOD_NOT_ALLOWED,
                        "method " + method + " is not allowed here; use " + String.join(" or ", allowed),
                        null),
                allowed);
    }

    /** Carries an {@link ApiError} out of request handling; never escapes the HTTP layer. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;
        private final transient java.util.List<String> allowedMethods;

        public Failure(ApiError error) {
            this(error, java.util.List.of());
        }

        private Failure(ApiError error, java.util.List<String> allowedMethods) {
            super(error.code() + ": " + error.message(), null, false, false);
            this.error = error;
            this.allowedMethods = java.util.List.copyOf(allowedMethods);
        }

        public ApiError error() {
            return error;
        }

        /** For a 405: the methods the resource has, for the {@code Allow} header (RFC 9110); otherwise empty. */
        public java.util.List<String> allowedMethods() {
            return allowedMethods;
        }
    }
}
