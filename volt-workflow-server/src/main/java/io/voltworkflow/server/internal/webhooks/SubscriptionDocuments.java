package io.voltworkflow.server.internal.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.server.webhooks.PayloadFormat;
import io.voltworkflow.server.webhooks.WebhookSubscription;
import io.voltworkflow.server.webhooks.WebhookTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Subscriptions as JSON: the document the outbox keeps (with the secret, which deliveries need after a restart) and
 * the shape the API shows (without it, ever).
 */
public final class SubscriptionDocuments {
    private SubscriptionDocuments() {}

    /** The API's view: no secret, only whether one is set. */
    public static ObjectNode view(WebhookSubscription subscription) {
        ObjectNode node = common(subscription);
        node.put("origin", subscription.origin() == WebhookSubscription.Origin.API ? "api" : "configuration");
        node.put("secretSet", true);
        return node;
    }

    static String stored(WebhookSubscription subscription) {
        return common(subscription)
                .put("secret", subscription.secret().reveal())
                .toString();
    }

    static WebhookSubscription fromStored(String document) {
        try {
            JsonNode node = WorkflowJson.mapper().readTree(document);
            Map<String, String> labels = new LinkedHashMap<>();
            node.path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            TreeSet<WebhookTrigger> events = new TreeSet<>();
            node.path("events").forEach(e -> events.add(WebhookTrigger.fromWireName(e.asText())));
            return new WebhookSubscription(
                    node.path("id").asText(),
                    URI.create(node.path("url").asText()),
                    events,
                    labels,
                    PayloadFormat.fromWireName(node.path("format").asText()),
                    node.path("budgetPercent").asInt(),
                    Secret.of(node.path("secret").asText()),
                    WebhookSubscription.Origin.API);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored webhook subscription is not JSON", e);
        }
    }

    private static ObjectNode common(WebhookSubscription subscription) {
        ObjectNode node = WorkflowJson.mapper()
                .createObjectNode()
                .put("id", subscription.id())
                .put("url", subscription.url().toString());
        ArrayNode events = node.putArray("events");
        subscription.events().stream().map(WebhookTrigger::wireName).sorted().forEach(events::add);
        ObjectNode labels = node.putObject("labels");
        subscription.labels().forEach(labels::put);
        node.put("format", subscription.format().wireName());
        node.put("budgetPercent", subscription.budgetPercent());
        return node;
    }
}
