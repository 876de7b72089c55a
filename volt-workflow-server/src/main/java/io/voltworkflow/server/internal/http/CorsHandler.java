package io.voltworkflow.server.internal.http;

import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cross-origin access for an explicit allow-list of origins, and nothing else: with an empty list no CORS header is
 * ever sent and browsers keep other sites' pages away from the API. Preflights from allowed origins are answered
 * here, before authentication (browsers send them without credentials).
 */
public final class CorsHandler extends Handler.Wrapper {
    private final Set<String> allowedOrigins;

    public CorsHandler(Set<String> allowedOrigins, Handler next) {
        super(next);
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || allowedOrigins.isEmpty()) {
            return super.handle(request, response, callback);
        }
        boolean allowed = allowedOrigins.contains(origin);
        boolean preflight = request.getMethod().equals("OPTIONS")
                && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
        if (preflight && !allowed) {
            HttpResponses.error(response, callback, ApiError.forbidden("origin not allowed"));
            return true;
        }
        if (allowed) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().add(HttpHeader.VARY, "Origin");
        }
        if (preflight) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
            response.setStatus(204);
            callback.succeeded();
            return true;
        }
        return super.handle(request, response, callback);
    }
}
