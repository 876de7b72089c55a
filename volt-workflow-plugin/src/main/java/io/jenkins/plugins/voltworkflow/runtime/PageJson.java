package io.jenkins.plugins.voltworkflow.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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

    /**
     * A patch history (see {@link io.voltworkflow.core.status.PatchHistory}) for the page, with every occurrence of
     * {@code hiddenDirectory} (the controller's home directory) in its text replaced by {@code placeholder}: engine
     * output may name the directories it worked in, and the page must not tell readers where the controller keeps
     * its files.
     */
    public static String patches(ObjectNode history, String hiddenDirectory, String placeholder) {
        return write(hidePath(history, hiddenDirectory, placeholder));
    }

    /** JSON {@code text} with {@code hiddenDirectory} replaced as {@link #patches} does. */
    /**
     * A saved status, served once its build no longer runs the workflow: nothing can resume it there, whatever its
     * state, so it says {@code "resumable": false} and the page disables Resume.
     */
    public static String notResumable(String json) {
        try {
            JsonNode status = WorkflowJson.mapper().readTree(json);
            if (!status.isObject() || !status.path("resumable").asBoolean()) {
                return json;
            }
            return write(((ObjectNode) status).put("resumable", false));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String withoutPath(String json, String hiddenDirectory, String placeholder) {
        if (!json.contains(hiddenDirectory)) {
            return json;
        }
        try {
            return write(hidePath(WorkflowJson.mapper().readTree(json), hiddenDirectory, placeholder));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode hidePath(JsonNode node, String directory, String placeholder) {
        if (node.isTextual()) {
            String text = node.asText();
            return text.contains(directory) ? TextNode.valueOf(text.replace(directory, placeholder)) : node;
        }
        if (node.isObject()) {
            ObjectNode copy = WorkflowJson.mapper().createObjectNode();
            node.properties()
                    .forEach(field -> copy.set(field.getKey(), hidePath(field.getValue(), directory, placeholder)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = WorkflowJson.mapper().createArrayNode();
            node.forEach(element -> copy.add(hidePath(element, directory, placeholder)));
            return copy;
        }
        return node;
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
