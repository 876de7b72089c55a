/**
 * Public API: {@link io.voltworkflow.server.mcp.WorkflowTools}, the REST API's operations as Model Context Protocol
 * tools.
 */
@NullMarked
package io.voltworkflow.server.mcp;

import org.jspecify.annotations.NullMarked;
