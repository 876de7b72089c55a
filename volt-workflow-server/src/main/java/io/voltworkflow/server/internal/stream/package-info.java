/**
 * Internal: the WebSocket event stream, not API — the endpoint that checks a request before upgrading, and one
 * connection with its bounded, gap-free queue.
 */
package io.voltworkflow.server.internal.stream;
