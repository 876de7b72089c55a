/**
 * Public API of the server: {@link io.voltworkflow.server.VoltWorkflow} (the spec's entry points),
 * {@link io.voltworkflow.server.CicdServer} (REST, WebSocket stream, UI, MCP and metrics) configured by
 * {@link io.voltworkflow.server.ServerOptions} with {@link io.voltworkflow.server.AccessToken}s read by
 * {@link io.voltworkflow.server.AccessTokens}; {@link io.voltworkflow.server.EngineCatalog} (the engines a host
 * configured), {@link io.voltworkflow.server.WorkflowMonitor} and
 * {@link io.voltworkflow.server.VoltAgentWorkflowIntegration} (monitoring and the agent tool), stopped through a
 * {@link io.voltworkflow.server.StopHandle}. The machinery lives in {@code io.voltworkflow.server.internal} and is
 * not API.
 */
@NullMarked
package io.voltworkflow.server;

import org.jspecify.annotations.NullMarked;
