package io.voltworkflow.server.internal.http;

import io.voltworkflow.ui.UiAssets;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the web UI's static files at {@code /} from the {@code volt-workflow-ui} jar, under a strict
 * Content-Security-Policy: scripts, styles, images and connections (the API and its WebSocket) from this origin
 * only, no framing. Names are checked by {@link UiAssets}, which refuses anything that could leave its directory.
 */
public final class UiHandler extends Handler.Abstract {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return false;
        }
        String path = Request.getPathInContext(request);
        String name = path.equals("/") ? UiAssets.INDEX : path.substring(1);
        Optional<UiAssets.Asset> asset = UiAssets.find(name);
        if (asset.isEmpty()) {
            return false;
        }
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        HttpResponses.write(
                response, callback, 200, asset.get().contentType(), asset.get().bytes());
        return true;
    }
}
