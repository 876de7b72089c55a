package io.voltworkflow.server.internal;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.time.SystemTimeSource;
import io.voltworkflow.server.ServerOptions;
import io.voltworkflow.server.internal.http.AccessControlHandler;
import io.voltworkflow.server.internal.http.ApiHandler;
import io.voltworkflow.server.internal.http.CorsHandler;
import io.voltworkflow.server.internal.http.NotFoundHandler;
import io.voltworkflow.server.internal.http.OperationsHandler;
import io.voltworkflow.server.internal.http.ServerMetrics;
import io.voltworkflow.server.internal.http.UiHandler;
import io.voltworkflow.server.internal.stream.EventStreamEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running HTTP server: Jetty core with handlers in this order — graceful shutdown, CORS, authentication,
 * WebSocket upgrade for the event stream, then operations, API, MCP, UI and a JSON 404.
 */
public final class ServerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);

    private final Server server;
    private final ServerConnector connector;
    private final EventStreamEndpoint streams;
    private final @Nullable McpEndpoint mcp;
    private final WorkflowOrchestrator orchestrator;
    private final boolean ownsOrchestrator;
    private final java.time.Duration shutdownGrace;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServerRuntime(WorkflowOrchestrator orchestrator, ServerOptions options, boolean ownsOrchestrator) {
        this.orchestrator = orchestrator;
        this.ownsOrchestrator = ownsOrchestrator;
        this.shutdownGrace = options.shutdownTimeout();
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("volt-http");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.bindAddress());
        connector.setPort(options.port());
        // Idle keep-alive connections must not hold shutdown; requests in flight are covered by the GracefulHandler.
        connector.setShutdownIdleTimeout(500);
        server.addConnector(connector);
        server.setStopTimeout(options.shutdownTimeout().toMillis());
        server.setStopAtShutdown(false);
        server.setErrorHandler(new io.voltworkflow.server.internal.http.ApiErrorHandler());

        ServerMetrics metrics = new ServerMetrics();
        this.streams = new EventStreamEndpoint(
                orchestrator, options.streamQueueCapacity(), threads, new SystemTimeSource(), metrics);
        List<Handler> endpoints = new ArrayList<>();
        // Not ready while the store is unreachable: a load balancer sends work to instances that can record it.
        endpoints.add(new OperationsHandler(
                orchestrator,
                metrics,
                () -> ready.get() && orchestrator.storeUnavailability().isEmpty()));
        endpoints.add(new ApiHandler(orchestrator, options.engines(), options.webhooks(), options.maxRequestBytes()));
        if (options.mcpEnabled()) {
            mcp = new McpEndpoint(
                    orchestrator, options.engines(), options.maxRequestBytes(), options.corsAllowedOrigins());
            endpoints.add(mcp.handler());
        } else {
            mcp = null;
        }
        if (options.uiEnabled()) {
            endpoints.add(new UiHandler());
        }
        endpoints.add(new NotFoundHandler());

        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(options.streamIdleTimeout());
            container.setMaxTextMessageSize(4096);
            container.addMapping(new UriTemplatePathSpec(EventStreamEndpoint.PATH_TEMPLATE), streams);
        });
        upgrade.setHandler(new Handler.Sequence(endpoints));
        GracefulHandler graceful = new GracefulHandler(
                new CorsHandler(options.corsAllowedOrigins(), new AccessControlHandler(options.tokens(), upgrade)));
        server.setHandler(graceful);
    }

    /** Starts serving; on failure nothing is left running (an owned orchestrator is closed too). */
    public static ServerRuntime start(
            WorkflowOrchestrator orchestrator, ServerOptions options, boolean ownsOrchestrator) {
        ServerRuntime runtime = new ServerRuntime(orchestrator, options, ownsOrchestrator);
        try {
            runtime.server.start();
        } catch (Exception e) {
            runtime.close();
            throw new IllegalStateException(
                    "cannot start the server on " + options.bindAddress() + ":" + options.port() + ": "
                            + e.getMessage(),
                    e);
        }
        runtime.ready.set(true);
        LOG.info("serving on http://{}:{}", options.bindAddress(), runtime.port());
        return runtime;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return connector.getHost();
    }

    public WorkflowOrchestrator orchestrator() {
        return orchestrator;
    }

    /**
     * Graceful: readiness turns false, streams are told the server goes away, requests in flight finish (up to the
     * shutdown timeout), then the orchestrator (when owned) stops dispatching, lets running steps finish within the
     * same timeout and leaves the rest to be re-issued, with their idempotency keys, when the store is opened again.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ready.set(false);
        streams.closeAll();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly", e);
        } finally {
            if (mcp != null) {
                mcp.close();
            }
            if (ownsOrchestrator) {
                orchestrator.shutdown(shutdownGrace);
            }
        }
    }
}
