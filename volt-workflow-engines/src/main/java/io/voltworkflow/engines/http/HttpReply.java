package io.voltworkflow.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/** A successful (2xx) reply whose body parsed as JSON; {@code requestId} is the provider's, if it sent one. */
public record HttpReply(
        int status,
        Headers headers,
        JsonNode body,
        @Nullable String requestId) {}
