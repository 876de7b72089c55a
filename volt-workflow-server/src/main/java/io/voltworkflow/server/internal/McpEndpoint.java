package io.voltworkflow.server.internal;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.server.AccessToken.Access;
import io.voltworkflow.server.internal.http.AccessControlHandler;
import io.voltworkflow.server.mcp.WorkflowTools;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.jspecify.annotations.Nullable;

/**
 * The MCP tool server at {@code /mcp}: the MCP Java SDK's stateless Streamable-HTTP transport (JSON-RPC over POST),
 * mounted as the one servlet of the server behind {@link McpRequestGuard}. Authentication happened before (same
 * tokens as the API); the caller's access travels in the transport context so a read-only token can only read.
 */
final class McpEndpoint {
    private static final String ACCESS = "volt.access";

    private final McpStatelessSyncServer server;
    private final ServletContextHandler handler;

    McpEndpoint(
            WorkflowOrchestrator orchestrator,
            io.voltworkflow.server.@Nullable EngineCatalog engines,
            int maxRequestBytes,
            Set<String> allowedOrigins) {
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                .jsonMapper(new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper()))
                .messageEndpoint(AccessControlHandler.MCP_PATH)
                .maxRequestSize(maxRequestBytes)
                .contextExtractor(request -> {
                    Object access = request.getAttribute(AccessControlHandler.ACCESS_ATTRIBUTE);
                    return McpTransportContext.create(Map.of(ACCESS, access == null ? Access.READ_ONLY : access));
                })
                .build();
        List<SyncToolSpecification> tools =
                WorkflowTools.specifications(orchestrator, engines, context -> context.get(ACCESS) == Access.FULL);
        this.server = McpServer.sync(transport)
                .serverInfo("volt-workflow", "0.1.0")
                .instructions(
                        "Drive Volt Workflow CI/CD workflows: create one from a requirement, then poll its status.")
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .tools(tools)
                .build();
        this.handler = new ServletContextHandler(AccessControlHandler.MCP_PATH);
        handler.setAllowNullPathInContext(true);
        Set<String> toolNames = tools.stream().map(t -> t.tool().name()).collect(Collectors.toSet());
        handler.addFilter(
                new FilterHolder(
                        new McpRequestGuard(transport.protocolVersions(), allowedOrigins, toolNames, maxRequestBytes)),
                "/*",
                EnumSet.of(DispatcherType.REQUEST));
        handler.addServlet(new ServletHolder("mcp", transport), "/*");
    }

    ServletContextHandler handler() {
        return handler;
    }

    void close() {
        server.close();
    }
}
