package io.jenkins.plugins.voltworkflow.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the build page's endpoints, in the shape the shared front-end reads (docs/status-json.md): a page
 * of events, and errors as {@code {"error":{"code","message","field"}}}.
 */
public final class PageJson {

    public static final int MAX_REASON_LENGTH = 500;

    private PageJson() {}

    /** {@code {"events":[...],"lastSequence":N}}. */
    public static String events(List<EventRecord> events, long lastSequence) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("events", events);
        page.put("lastSequence", lastSequence);
        return write(page);
    }

    public static String error(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("field", null);
        return write(Map.of("error", error));
    }

    /** The {@code reason} of a cancel request's optional JSON body, trimmed and shortened; empty when absent. */
    public static String cancelReason(InputStream body) {
        try {
            String reason = WorkflowJson.mapper()
                    .readTree(body)
                    .path("reason")
                    .asText("")
                    .strip();
            return reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
        } catch (IOException | RuntimeException e) {
            return ""; // no body, or not JSON: cancelling needs no reason
        }
    }

    private static String write(Object value) {
        try {
            return WorkflowJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
