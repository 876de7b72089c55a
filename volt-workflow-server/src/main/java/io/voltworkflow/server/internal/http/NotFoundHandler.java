package io.voltworkflow.server.internal.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The last handler: whatever nothing else served is a JSON 404 (never Jetty's HTML error page). */
public final class NotFoundHandler extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        HttpResponses.error(response, callback, ApiError.notFound("nothing is served at this path"));
        return true;
    }
}
