package io.voltworkflow.server.internal.http;

import io.voltworkflow.server.AccessToken;
import io.voltworkflow.server.AccessToken.Access;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * Bearer-token authentication for the API, the event stream, MCP and metrics. Browsers cannot set headers on a
 * WebSocket, so the stream also accepts {@code ?access_token=}. A read-only token may only read: any method other
 * than GET or HEAD is refused with 403 (MCP calls are POSTs and are checked per tool instead), and so is anything
 * under {@code /api/v1/webhooks}. The UI, health
 * checks and the OpenAPI document are public.
 */
public final class AccessControlHandler extends Handler.Wrapper {
    /** Request attribute carrying the caller's {@link Access}. */
    public static final String ACCESS_ATTRIBUTE = AccessControlHandler.class.getName() + ".access";

    public static final String MCP_PATH = "/mcp";
    static final String WEBHOOKS_PATH = ApiHandler.PREFIX + "/webhooks";
    private static final String BEARER = "Bearer ";

    private final List<AccessToken> tokens;

    public AccessControlHandler(List<AccessToken> tokens, Handler next) {
        super(next);
        this.tokens = List.copyOf(tokens);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!isProtected(path)) {
            return super.handle(request, response, callback);
        }
        if (tokens.isEmpty()) {
            request.setAttribute(ACCESS_ATTRIBUTE, Access.FULL);
            return super.handle(request, response, callback);
        }
        String presented = presentedToken(request, path);
        if (presented == null) {
            HttpResponses.error(
                    response,
                    callback,
                    ApiError.unauthorized("authentication required: send 'Authorization: Bearer <token>'"));
            return true;
        }
        Access access = accessOf(presented);
        if (access == null) {
            HttpResponses.error(response, callback, ApiError.unauthorized("the token is not valid"));
            return true;
        }
        boolean reading =
                request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        if (access == Access.READ_ONLY && !reading && !path.equals(MCP_PATH)) {
            HttpResponses.error(response, callback, ApiError.forbidden("a read-only token cannot change workflows"));
            return true;
        }
        if (access == Access.READ_ONLY && (path.equals(WEBHOOKS_PATH) || path.startsWith(WEBHOOKS_PATH + "/"))) {
            // Subscriptions name where notifications go and what they reveal: managing or even listing them is not
            // reading.
            HttpResponses.error(response, callback, ApiError.forbidden("webhooks need a full-access token"));
            return true;
        }
        request.setAttribute(ACCESS_ATTRIBUTE, access);
        return super.handle(request, response, callback);
    }

    static boolean isProtected(String path) {
        if (path.equals(ApiHandler.PREFIX + "/openapi.yaml")) {
            return false;
        }
        return path.equals(ApiHandler.PREFIX)
                || path.startsWith(ApiHandler.PREFIX + "/")
                || path.equals(MCP_PATH)
                || path.startsWith(MCP_PATH + "/")
                || path.equals("/metrics");
    }

    /** Checks every configured token, so the time taken does not tell which one (or whether any) matched. */
    private @Nullable Access accessOf(String presented) {
        byte[] digest = AccessToken.sha256(presented);
        Access granted = null;
        for (AccessToken token : tokens) {
            if (token.matches(digest) && granted == null) {
                granted = token.access();
            }
        }
        return granted;
    }

    private static @Nullable String presentedToken(Request request, String path) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null) {
            return header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? header.substring(BEARER.length()).strip()
                    : null;
        }
        if (path.endsWith("/stream")) {
            Fields.Field field = Request.extractQueryParameters(request).get("access_token");
            return field == null ? null : field.getValue();
        }
        return null;
    }
}
