package io.voltworkflow.server;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.server.internal.ServerRuntime;
import java.net.URI;

/**
 * A running CI/CD API server (the spec's {@code createCICDServer}): REST under {@code /api/v1}, the WebSocket event
 * stream, the web UI at {@code /}, MCP at {@code /mcp}, health at {@code /healthz} and {@code /readyz}, Prometheus at
 * {@code /metrics}. {@link #close()} shuts down gracefully.
 */
public final class CicdServer implements AutoCloseable {
    private final ServerRuntime runtime;

    private CicdServer(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Serves {@code orchestrator}; closing the server closes it too when {@code ownsOrchestrator}. */
    public static CicdServer start(WorkflowOrchestrator orchestrator, ServerOptions options, boolean ownsOrchestrator) {
        return new CicdServer(ServerRuntime.start(orchestrator, options, ownsOrchestrator));
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return runtime.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080/}. */
    public URI url() {
        String host = runtime.host();
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    public WorkflowOrchestrator orchestrator() {
        return runtime.orchestrator();
    }

    /** Stops accepting, lets requests in flight finish, then closes an owned orchestrator (which checkpoints). */
    @Override
    public void close() {
        runtime.close();
    }
}
