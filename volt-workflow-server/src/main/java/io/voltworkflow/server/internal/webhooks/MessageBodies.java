package io.voltworkflow.server.internal.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.webhooks.PayloadFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a notification (Volt's JSON, as the outbox holds it) into the body its subscription's format asks for: the
 * JSON itself, a Slack incoming-webhook message, or a Microsoft Teams message with an Adaptive Card. Chat messages
 * read as one sentence plus the error, with a link to the workflow's page when the web UI's address is known.
 */
final class MessageBodies {
    private MessageBodies() {}

    static byte[] render(PayloadFormat format, String payload) {
        if (format == PayloadFormat.VOLT) {
            return payload.getBytes(StandardCharsets.UTF_8);
        }
        JsonNode notification;
        try {
            notification = WorkflowJson.mapper().readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("an outbox payload is not JSON", e);
        }
        ObjectNode body = format == PayloadFormat.SLACK ? slack(notification) : teams(notification);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** "Workflow wf-1 failed: step validation-2 …" — the headline both chat formats show. */
    static String headline(JsonNode n) {
        String workflow = n.path("workflow").path("id").asText();
        String step = n.path("step").asText(null);
        return switch (n.path("event").asText()) {
            case "workflow_completed" -> "Workflow " + workflow + " completed";
            case "workflow_failed" -> "Workflow " + workflow + " failed" + (step == null ? "" : " at step " + step);
            case "workflow_cancelled" -> "Workflow " + workflow + " was cancelled";
            case "workflow_paused" -> "Workflow " + workflow + " is paused and waits to be resumed";
            case "step_failed" -> "Step " + step + " of workflow " + workflow + " failed after its last retry";
            case "budget_threshold" ->
                "Workflow " + workflow + " has spent "
                        + n.path("budget").path("thresholdPercent").asInt() + "% of its budget";
            case "repair_round_started" -> "Workflow " + workflow + " started a repair round";
            default -> "Workflow " + workflow + ": " + n.path("event").asText();
        };
    }

    private static String details(JsonNode n) {
        StringBuilder text =
                new StringBuilder(n.path("workflow").path("requirement").asText());
        if (n.has("error")) {
            text.append("\n")
                    .append(n.path("error").path("code").asText())
                    .append(": ")
                    .append(n.path("error").path("message").asText());
        } else if (n.hasNonNull("reason")) {
            text.append("\nReason: ").append(n.path("reason").asText());
        }
        return text.toString();
    }

    private static ObjectNode slack(JsonNode n) {
        String url = n.path("workflow").path("url").asText(null);
        String headline = headline(n);
        ObjectNode body = WorkflowJson.mapper().createObjectNode();
        body.put("text", headline + (url == null ? "" : " — " + url));
        ArrayNode blocks = body.putArray("blocks");
        String title =
                url == null ? "*" + slackEscape(headline) + "*" : "*<" + url + "|" + slackEscape(headline) + ">*";
        blocks.addObject()
                .put("type", "section")
                .putObject("text")
                .put("type", "mrkdwn")
                .put("text", title + "\n" + slackEscape(details(n)));
        return body;
    }

    private static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static ObjectNode teams(JsonNode n) {
        String url = n.path("workflow").path("url").asText(null);
        ObjectNode card = WorkflowJson.mapper()
                .createObjectNode()
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard")
                .put("version", "1.4");
        ArrayNode content = card.putArray("body");
        content.addObject()
                .put("type", "TextBlock")
                .put("text", headline(n))
                .put("weight", "Bolder")
                .put("size", "Medium")
                .put("wrap", true);
        content.addObject().put("type", "TextBlock").put("text", details(n)).put("wrap", true);
        if (url != null) {
            card.putArray("actions")
                    .addObject()
                    .put("type", "Action.OpenUrl")
                    .put("title", "Open workflow")
                    .put("url", url);
        }
        ObjectNode body = WorkflowJson.mapper().createObjectNode().put("type", "message");
        body.putArray("attachments")
                .addObject()
                .put("contentType", "application/vnd.microsoft.card.adaptive")
                .set("content", card);
        return body;
    }
}
