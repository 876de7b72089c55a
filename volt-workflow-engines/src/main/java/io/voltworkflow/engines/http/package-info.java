/**
 * Public API of engine HTTP: {@link io.voltworkflow.engines.http.HttpTransport} (the one client of a host),
 * {@link io.voltworkflow.engines.http.HttpEndpoint} (JSON calls for one engine, authenticated, cancellable, with the
 * step's idempotency key) under {@link io.voltworkflow.engines.http.HttpOptions}; replies as
 * {@link io.voltworkflow.engines.http.HttpReply} or {@link io.voltworkflow.engines.http.HttpStream} of
 * {@link io.voltworkflow.engines.http.ServerSentEvent}s, failures classified by
 * {@link io.voltworkflow.engines.http.HttpFailures}.
 */
@NullMarked
package io.voltworkflow.engines.http;

import org.jspecify.annotations.NullMarked;
