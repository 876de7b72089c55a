package io.voltworkflow.engines.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.http.HttpEndpoint;
import io.voltworkflow.engines.http.HttpReply;
import io.voltworkflow.engines.http.HttpStatusException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/** JSON calls to one forge API below its base URL, for the forge adapters. */
public final class ForgeCalls {
    private final HttpEndpoint http;
    private final HttpUrl api;

    public ForgeCalls(HttpEndpoint http, HttpUrl api) {
        this.http = Objects.requireNonNull(http, "http");
        this.api = Objects.requireNonNull(api, "api");
    }

    /** The API's base URL. */
    public HttpUrl api() {
        return api;
    }

    /** The API URL with {@code segments} appended, each encoded as one path segment. */
    public HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder url = api.newBuilder();
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url;
    }

    public CompletionStage<JsonNode> call(
            String operation, String method, HttpUrl.Builder url, @Nullable JsonNode body, EngineContext context) {
        return http.send(operation, method, url.build(), body, context, Map.of())
                .thenApply(HttpReply::body);
    }

    /** The failure inside a stage's {@link CompletionException} wrapper. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Whether a forge refused a create because the thing exists already: 409, or 422 (GitHub, Gitea validation). */
    public static boolean isConflict(Throwable cause) {
        return cause instanceof HttpStatusException status && (status.status() == 409 || status.status() == 422);
    }

    public static ObjectNode object() {
        return io.voltworkflow.engines.internal.Json.object();
    }

    /** A required text field of a forge's reply; a reply without it is an unusable answer, not a crash. */
    public static String text(JsonNode node, String field, String forge) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new EngineException(StepError.recoverable(
                    StepError.INVALID_RESPONSE, forge + " answered without '" + field + "': " + excerpt(node)));
        }
        return value.asText();
    }

    /**
     * Splits a repository path ({@code OWNER/NAME}, {@code WORKSPACE/SLUG}, {@code PROJECT/SLUG}) into its {@code parts}
     * non-blank parts; {@code what} and {@code shape} name it in the error.
     */
    public static String[] repositoryPath(String path, int parts, String what, String shape) {
        String[] split = path == null ? new String[0] : path.strip().split("/", -1);
        if (split.length != parts || java.util.Arrays.stream(split).anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(what + " is named " + shape + ", got '" + path + "'");
        }
        return split;
    }

    private static String excerpt(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
