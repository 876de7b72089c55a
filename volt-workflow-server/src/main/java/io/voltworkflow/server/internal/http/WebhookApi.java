package io.voltworkflow.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.outbox.DeliveryState;
import io.voltworkflow.core.outbox.OutboxEntry;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.server.internal.http.WorkflowApi.ApiResult;
import io.voltworkflow.server.internal.webhooks.SubscriptionDocuments;
import io.voltworkflow.server.webhooks.PayloadFormat;
import io.voltworkflow.server.webhooks.WebhookSubscription;
import io.voltworkflow.server.webhooks.WebhookTrigger;
import io.voltworkflow.server.webhooks.Webhooks;
import java.net.URI;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** {@code /api/v1/webhooks}: subscriptions and their deliveries. Secrets go in and never come out. */
final class WebhookApi {
    static final int DEFAULT_DELIVERY_PAGE = 50;
    static final int MAX_DELIVERY_PAGE = 500;
    static final int MAX_SECRET_LENGTH = 256;
    static final int MAX_URL_LENGTH = 2048;
    private static final java.util.regex.Pattern DELIVERY_ID = java.util.regex.Pattern.compile("dlv_[0-9a-f]{32}");
    private static final Set<String> CREATE_FIELDS =
            Set.of("id", "url", "secret", "events", "labels", "format", "budgetPercent");

    private final @Nullable Webhooks webhooks;

    WebhookApi(@Nullable Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    ApiResult list() {
        ObjectNode body = WorkflowJson.mapper().createObjectNode();
        ArrayNode items = body.putArray("webhooks");
        require().subscriptions().forEach(s -> items.add(SubscriptionDocuments.view(s)));
        return ApiResult.ok(body.toString());
    }

    ApiResult get(String id) {
        return ApiResult.ok(SubscriptionDocuments.view(subscription(id)).toString());
    }

    ApiResult create(ApiRequest request) {
        Webhooks hooks = require();
        JsonNode raw = request.body();
        if (raw.isMissingNode()) {
            throw new ApiError.Failure(
                    ApiError.invalid("url", "a JSON body with 'url', 'secret' and 'events' is required"));
        }
        JsonFields body = JsonFields.of(raw, "", CREATE_FIELDS);
        String given = body.string("id");
        String id = given != null
                ? given
                : "wh-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        if (!WebhookSubscription.ID.matcher(id).matches()) {
            throw body.invalid("id", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String rawUrl = required(body, "url");
        if (rawUrl.length() > MAX_URL_LENGTH) {
            throw body.invalid("url", "must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI url;
        try {
            url = hooks.targets().check(rawUrl);
        } catch (IllegalArgumentException e) {
            // The request is well-formed; this server will not send there.
            throw new ApiError.Failure(
                    new ApiError(422, ApiError.WEBHOOK_TARGET_REFUSED, ApiError.messageOf(e), "url"));
        }
        String secret = required(body, "secret");
        if (secret.length() < WebhookSubscription.MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH) {
            throw body.invalid(
                    "secret",
                    "must be " + WebhookSubscription.MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters");
        }
        Set<WebhookTrigger> events = EnumSet.noneOf(WebhookTrigger.class);
        JsonNode eventNodes = body.raw("events");
        if (eventNodes == null || !eventNodes.isArray() || eventNodes.isEmpty()) {
            throw body.invalid("events", "must be a non-empty list of: " + WebhookTrigger.known());
        }
        for (JsonNode event : eventNodes) {
            try {
                events.add(WebhookTrigger.fromWireName(event.asText()));
            } catch (IllegalArgumentException e) {
                throw new ApiError.Failure(ApiError.invalid("events", ApiError.messageOf(e)));
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (body.has("labels")) {
            if (!body.raw("labels").isObject()) {
                throw body.invalid("labels", "must be an object of strings");
            }
            body.raw("labels").properties().forEach(label -> {
                if (!label.getValue().isTextual()) {
                    throw body.invalid(
                            "labels", "must be an object of strings; '" + label.getKey() + "' is not a string");
                }
                labels.put(label.getKey(), label.getValue().asText());
            });
        }
        PayloadFormat format;
        try {
            String wireName = body.string("format");
            format = wireName == null ? PayloadFormat.VOLT : PayloadFormat.fromWireName(wireName);
        } catch (IllegalArgumentException e) {
            throw new ApiError.Failure(ApiError.invalid("format", ApiError.messageOf(e)));
        }
        Long percent = body.wholeNumber("budgetPercent", 1, 100);
        WebhookSubscription created;
        try {
            created = hooks.create(new WebhookSubscription(
                    id,
                    url,
                    events,
                    labels,
                    format,
                    percent == null ? WebhookSubscription.DEFAULT_BUDGET_PERCENT : percent.intValue(),
                    Secret.of(secret),
                    WebhookSubscription.Origin.API));
        } catch (Webhooks.RefusedException e) {
            throw refusal(e);
        }
        return ApiResult.created(SubscriptionDocuments.view(created).toString(), "/api/v1/webhooks/" + created.id());
    }

    ApiResult delete(String id) {
        WebhookSubscription existing = subscription(id);
        try {
            require().delete(id);
        } catch (Webhooks.RefusedException e) {
            throw refusal(e);
        }
        return ApiResult.ok(SubscriptionDocuments.view(existing).toString());
    }

    /** The request is checked before the subscription is looked up: a malformed one is 400 whatever the id. */
    ApiResult deliveries(String id, ApiRequest request) {
        DeliveryState state;
        try {
            state = request.queryValue("state") == null
                    ? null
                    : DeliveryState.fromWireName(request.queryValue("state"));
        } catch (IllegalArgumentException e) {
            throw new ApiError.Failure(ApiError.invalid("state", ApiError.messageOf(e)));
        }
        int limit = (int) request.queryLong("limit", DEFAULT_DELIVERY_PAGE, 1, MAX_DELIVERY_PAGE);
        subscription(id);
        ObjectNode body = WorkflowJson.mapper().createObjectNode();
        ArrayNode items = body.putArray("deliveries");
        require().deliveries(id, state, limit).forEach(entry -> items.add(view(entry)));
        return ApiResult.ok(body.toString());
    }

    ApiResult redeliver(String id, String deliveryId) {
        if (!DELIVERY_ID.matcher(deliveryId).matches()) {
            throw new ApiError.Failure(
                    ApiError.invalid("deliveryId", "a delivery id is dlv_ and 32 hexadecimal digits"));
        }
        subscription(id);
        OutboxEntry entry = require()
                .delivery(deliveryId)
                .filter(d -> d.subscriptionId().equals(id))
                .orElseThrow(() ->
                        new ApiError.Failure(ApiError.notFound("webhook '" + id + "' has no delivery " + deliveryId)));
        try {
            return new ApiResult(
                    202, view(require().redeliver(entry.deliveryId())).toString(), null);
        } catch (Webhooks.RefusedException e) {
            throw refusal(e);
        }
    }

    /** A delivery as the API shows it: its state and last attempt, and the notification itself. */
    static ObjectNode view(OutboxEntry entry) {
        ObjectNode node = WorkflowJson.mapper()
                .createObjectNode()
                .put("deliveryId", entry.deliveryId())
                .put("webhook", entry.subscriptionId())
                .put("workflowId", entry.workflowId().value())
                .put("sequence", entry.sequence())
                .put("event", entry.event())
                .put("state", entry.state().wireName())
                .put("attempts", entry.attempts())
                .put("createdAt", entry.createdAt().toString());
        if (entry.state() == DeliveryState.PENDING) {
            node.put("nextAttemptAt", entry.nextAttemptAt().toString());
        }
        if (entry.lastAttemptAt() != null) {
            node.put("lastAttemptAt", entry.lastAttemptAt().toString());
        }
        if (entry.lastStatus() != 0) {
            node.put("lastStatus", entry.lastStatus());
        }
        if (entry.lastError() != null) {
            node.put("lastError", entry.lastError());
        }
        try {
            node.set("payload", WorkflowJson.mapper().readTree(entry.payload()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return node;
    }

    private WebhookSubscription subscription(String id) {
        if (!WebhookSubscription.ID.matcher(id).matches()) {
            throw new ApiError.Failure(ApiError.invalid(
                    "webhookId",
                    "a webhook id is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        return require()
                .subscription(id)
                .orElseThrow(() -> new ApiError.Failure(ApiError.notFound("no webhook with id '" + id + "'")));
    }

    private Webhooks require() {
        if (webhooks == null) {
            throw new ApiError.Failure(ApiError.notFound("this server has no webhooks: its store keeps no outbox"));
        }
        return webhooks;
    }

    private static String required(JsonFields body, String name) {
        String value = body.string(name);
        if (value == null || value.isBlank()) {
            throw body.invalid(name, "is required");
        }
        return value;
    }

    private static ApiError.Failure refusal(Webhooks.RefusedException e) {
        return new ApiError.Failure(
                switch (e.reason()) {
                    case NO_SUCH_SUBSCRIPTION, NO_SUCH_DELIVERY -> ApiError.notFound(ApiError.messageOf(e));
                    case SUBSCRIPTION_EXISTS -> new ApiError(409, ApiError.WEBHOOK_EXISTS, ApiError.messageOf(e), "id");
                    case CONFIGURED_IN_FILE ->
                        new ApiError(409, ApiError.WEBHOOK_CONFIGURED, ApiError.messageOf(e), null);
                });
    }
}
