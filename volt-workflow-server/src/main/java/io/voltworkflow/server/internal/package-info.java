/**
 * Internal: the running server, not API — {@link io.voltworkflow.server.internal.ServerRuntime} (Jetty and its
 * handler chain), {@link io.voltworkflow.server.internal.Lifecycle} (calls shared by REST and MCP) and the MCP
 * endpoint. Use {@link io.voltworkflow.server.CicdServer}.
 */
package io.voltworkflow.server.internal;
