package io.voltworkflow.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.server.engines.ConfigFile;
import io.voltworkflow.server.engines.ConfiguredCredentials;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The configuration file's {@code webhooks} section (docs/webhooks.md): the allow-list, the web UI's address, the
 * retry policy and the subscriptions, whose secrets are ids of the {@code credentials} section. Errors name the
 * field, as {@code webhooks.subscriptions[0].events}.
 */
public final class WebhookConfiguration {
    private static final Set<String> SECTION_FIELDS = Set.of("allow", "workflowPageBase", "retry", "subscriptions");
    private static final Set<String> RETRY_FIELDS =
            Set.of("maxAttempts", "initialIntervalMs", "backoffCoefficient", "maxIntervalMs", "jitter");
    private static final Set<String> SUBSCRIPTION_FIELDS =
            Set.of("id", "url", "secret", "events", "labels", "format", "budgetPercent");

    private WebhookConfiguration() {}

    /** The options the section describes (defaults when it is absent). */
    public static WebhookOptions.Builder read(ConfigFile config, Function<String, String> environment) {
        JsonNode section = config.section("webhooks");
        WebhookOptions.Builder options = WebhookOptions.builder();
        if (section.isMissingNode() || section.isNull()) {
            return options;
        }
        String where = "webhooks";
        try {
            requireObject(section, where, SECTION_FIELDS);
            List<String> allow = new ArrayList<>();
            for (JsonNode entry : array(section.path("allow"), where + ".allow")) {
                allow.add(text(entry, where + ".allow[]"));
            }
            WebhookTargets targets = new WebhookTargets(allow);
            options.targets(targets);
            if (section.hasNonNull("workflowPageBase")) {
                options.workflowPageBase(
                        URI.create(text(section.get("workflowPageBase"), where + ".workflowPageBase")));
            }
            if (section.hasNonNull("retry")) {
                options.retry(retry(section.get("retry"), where + ".retry"));
            }
            ConfiguredCredentials credentials = ConfiguredCredentials.read(config.section("credentials"), environment);
            List<WebhookSubscription> subscriptions = new ArrayList<>();
            List<JsonNode> nodes = array(section.path("subscriptions"), where + ".subscriptions");
            for (int i = 0; i < nodes.size(); i++) {
                subscriptions.add(
                        subscription(nodes.get(i), where + ".subscriptions[" + i + "]", credentials, targets));
            }
            return options.subscriptions(subscriptions);
        } catch (IllegalArgumentException | CredentialSource.CredentialException e) {
            throw new IllegalArgumentException(config.source() + ": " + e.getMessage(), e);
        }
    }

    private static RetryPolicy retry(JsonNode node, String where) {
        requireObject(node, where, RETRY_FIELDS);
        RetryPolicy.Builder retry = WebhookOptions.DEFAULT_RETRY.toBuilder();
        if (node.has("maxAttempts")) {
            retry.maxAttempts(integer(node.get("maxAttempts"), where + ".maxAttempts"));
        }
        if (node.has("initialIntervalMs")) {
            retry.initialInterval(
                    Duration.ofMillis(integer(node.get("initialIntervalMs"), where + ".initialIntervalMs")));
        }
        if (node.has("backoffCoefficient")) {
            retry.backoffCoefficient(number(node.get("backoffCoefficient"), where + ".backoffCoefficient"));
        }
        if (node.has("maxIntervalMs")) {
            retry.maxInterval(Duration.ofMillis(integer(node.get("maxIntervalMs"), where + ".maxIntervalMs")));
        }
        if (node.has("jitter")) {
            retry.jitter(number(node.get("jitter"), where + ".jitter"));
        }
        try {
            return retry.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static WebhookSubscription subscription(
            JsonNode node, String where, ConfiguredCredentials credentials, WebhookTargets targets) {
        requireObject(node, where, SUBSCRIPTION_FIELDS);
        for (String required : List.of("id", "url", "secret", "events")) {
            if (!node.hasNonNull(required)) {
                throw new IllegalArgumentException(where + "." + required + " is required");
            }
        }
        String id = text(node.get("id"), where + ".id");
        URI url;
        try {
            url = targets.check(text(node.get("url"), where + ".url"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + e.getMessage(), e);
        }
        Set<WebhookTrigger> events = EnumSet.noneOf(WebhookTrigger.class);
        for (JsonNode event : array(node.get("events"), where + ".events")) {
            try {
                events.add(WebhookTrigger.fromWireName(text(event, where + ".events[]")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".events: " + e.getMessage(), e);
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (node.hasNonNull("labels")) {
            requireObject(node.get("labels"), where + ".labels", null);
            node.get("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), text(e.getValue(), where + ".labels." + e.getKey())));
        }
        try {
            return new WebhookSubscription(
                    id,
                    url,
                    events,
                    labels,
                    node.hasNonNull("format")
                            ? PayloadFormat.fromWireName(text(node.get("format"), where + ".format"))
                            : PayloadFormat.VOLT,
                    node.hasNonNull("budgetPercent")
                            ? integer(node.get("budgetPercent"), where + ".budgetPercent")
                            : WebhookSubscription.DEFAULT_BUDGET_PERCENT,
                    credentials.secret(text(node.get("secret"), where + ".secret")),
                    WebhookSubscription.Origin.CONFIGURATION);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static void requireObject(JsonNode node, String where, @Nullable Set<String> fields) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        if (fields == null) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    where + " has unknown field(s) " + unknown + "; known: " + new TreeSet<>(fields));
        }
    }

    private static List<JsonNode> array(JsonNode node, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + " must be a list");
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static String text(JsonNode node, String where) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException(where + " must be a non-empty string");
        }
        return node.asText();
    }

    private static int integer(JsonNode node, String where) {
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException(where + " must be a whole number");
        }
        return node.asInt();
    }

    private static double number(JsonNode node, String where) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException(where + " must be a number");
        }
        return node.asDouble();
    }
}
