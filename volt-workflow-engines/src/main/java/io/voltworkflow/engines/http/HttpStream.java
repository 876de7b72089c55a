package io.voltworkflow.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A successful (2xx) reply to a streamed request, after its events were delivered. {@code json} is the body when the
 * server answered with one JSON document instead of an event stream (servers that ignore {@code stream}), else null.
 */
public record HttpStream(
        int status,
        Headers headers,
        @Nullable String requestId,
        @Nullable JsonNode json) {
    public boolean streamed() {
        return json == null;
    }

    /** The reply as the one JSON document the server answered with; only when not {@link #streamed()}. */
    public HttpReply asReply() {
        if (json == null) {
            throw new IllegalStateException("the reply was an event stream, not one JSON document");
        }
        return new HttpReply(status, headers, json, requestId);
    }
}
