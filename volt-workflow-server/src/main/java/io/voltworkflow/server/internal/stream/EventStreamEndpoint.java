package io.voltworkflow.server.internal.stream;

import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.TimeSource;
import io.voltworkflow.server.internal.http.ApiError;
import io.voltworkflow.server.internal.http.HttpResponses;
import io.voltworkflow.server.internal.http.ServerMetrics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.jspecify.annotations.Nullable;

/**
 * Accepts {@code /api/v1/workflows/{id}/stream?after=N}: checks the workflow and the sequence before upgrading (so a
 * bad request gets the API's JSON error, not a half-open socket), then hands the socket to a
 * {@link StreamConnection}.
 */
public final class EventStreamEndpoint implements WebSocketCreator {
    public static final String PATH_TEMPLATE = "/api/v1/workflows/{id}/stream";
    private static final Set<String> QUERY_PARAMETERS = Set.of("after", "access_token");

    private final WorkflowOrchestrator orchestrator;
    private final int queueCapacity;
    private final Executor executor;
    private final TimeSource time;
    private final ServerMetrics metrics;
    private final Set<StreamConnection> open = ConcurrentHashMap.newKeySet();

    public EventStreamEndpoint(
            WorkflowOrchestrator orchestrator,
            int queueCapacity,
            Executor executor,
            TimeSource time,
            ServerMetrics metrics) {
        this.orchestrator = orchestrator;
        this.queueCapacity = queueCapacity;
        this.executor = executor;
        this.time = time;
        this.metrics = metrics;
    }

    @Override
    public @Nullable Object createWebSocket(
            ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String path = Request.getPathInContext(request);
        String[] segments = path.split("/", -1);
        // "", "api", "v1", "workflows", id, "stream"
        WorkflowId id;
        long after;
        try {
            id = new WorkflowId(segments[4]);
        } catch (IllegalArgumentException e) {
            HttpResponses.error(
                    response,
                    callback,
                    ApiError.invalid(
                            "id",
                            "a workflow id is 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"));
            return null;
        }
        Fields query = Request.extractQueryParameters(request);
        for (String name : query.getNames()) {
            if (!QUERY_PARAMETERS.contains(name)) {
                HttpResponses.error(
                        response,
                        callback,
                        ApiError.invalid(
                                name,
                                "unknown query parameter '" + name + "'; the stream takes after and access_token"));
                return null;
            }
        }
        try {
            orchestrator.getWorkflowStatus(id);
        } catch (WorkflowNotFoundException e) {
            HttpResponses.error(response, callback, ApiError.notFound("no workflow with that id"));
            return null;
        }
        Fields.Field afterParam = query.get("after");
        try {
            after = afterParam == null ? 0 : Long.parseLong(afterParam.getValue());
            if (after < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            HttpResponses.error(
                    response,
                    callback,
                    ApiError.invalid(
                            "after",
                            "query parameter 'after' must be a sequence number (a whole number of at least 0)"));
            return null;
        }
        StreamConnection connection =
                new StreamConnection(orchestrator, id, after, queueCapacity, executor, time, metrics, open::remove);
        open.add(connection);
        return connection;
    }

    /** Closes every stream with "going away"; clients reconnect elsewhere with their last sequence. */
    public void closeAll() {
        for (StreamConnection connection : Set.copyOf(open)) {
            connection.close(StatusCode.SHUTDOWN, "server shutting down");
        }
    }
}
