package io.voltworkflow.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/** One API call: its method, path segments after {@code /api/v1/}, query and (size-limited, JSON-only) body. */
final class ApiRequest {
    private final Request request;
    private final List<String> segments;
    private final int maxBodyBytes;
    private @Nullable Fields query;

    ApiRequest(Request request, List<String> segments, int maxBodyBytes) {
        this.request = request;
        this.segments = segments;
        this.maxBodyBytes = maxBodyBytes;
    }

    String method() {
        return request.getMethod();
    }

    List<String> segments() {
        return segments;
    }

    /** Refuses a query parameter the operation does not have, naming it: a misspelt filter is not ignored. */
    void requireOnlyQuery(String... known) {
        List<String> allowed = List.of(known);
        for (String name : query().getNames()) {
            if (!allowed.contains(name)) {
                throw new ApiError.Failure(ApiError.invalid(
                        name,
                        "unknown query parameter '" + name + "'"
                                + (allowed.isEmpty()
                                        ? "; this operation takes none"
                                        : "; this operation takes " + String.join(", ", allowed))));
            }
        }
    }

    /** All values of a repeated query parameter. */
    List<String> queryValues(String name) {
        Fields.Field field = query().get(name);
        return field == null ? List.of() : field.getValues();
    }

    @Nullable
    String queryValue(String name) {
        Fields.Field field = query().get(name);
        if (field == null) {
            return null;
        }
        if (field.getValues().size() > 1) {
            throw new ApiError.Failure(ApiError.invalid(name, "query parameter '" + name + "' must be given once"));
        }
        return field.getValue();
    }

    long queryLong(String name, long defaultValue, long min, long max) {
        String raw = queryValue(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiError.Failure(ApiError.invalid(
                name, "query parameter '" + name + "' must be a whole number between " + min + " and " + max));
    }

    /** The body as JSON; {@link MissingNode} when there is none. */
    JsonNode body() {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw new ApiError.Failure(ApiError.tooLarge(maxBodyBytes));
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read request body", e);
        }
        if (bytes.length > maxBodyBytes) {
            throw new ApiError.Failure(ApiError.tooLarge(maxBodyBytes));
        }
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType == null || !isJson(contentType)) {
            throw new ApiError.Failure(new ApiError(
                    415,
                    ApiError.UNSUPPORTED_MEDIA_TYPE,
                    "request bodies must be sent as Content-Type: application/json",
                    null));
        }
        try {
            return WorkflowJson.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ApiError.Failure(ApiError.invalid(
                    null,
                    "request body is not valid JSON"
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse request body", e);
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json");
    }

    private Fields query() {
        Fields parsed = query;
        if (parsed == null) {
            try {
                parsed = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw new ApiError.Failure(ApiError.invalid(null, "the query string is malformed"));
            }
            query = parsed;
        }
        return parsed;
    }
}
