package io.voltworkflow.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.Headers;

/**
 * A successful (2xx) reply to a streamed request, after its events were delivered. {@code json} is the body when the
 * server answered with one JSON document instead of an event stream (servers that ignore {@code stream}), else null.
 */
public record HttpStream(int status, Headers headers, String requestId, JsonNode json) {
    public boolean streamed() {
        return json == null;
    }
}
