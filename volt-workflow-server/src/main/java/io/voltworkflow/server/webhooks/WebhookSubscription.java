package io.voltworkflow.server.webhooks;

import io.voltworkflow.engines.credentials.Secret;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where to send which notifications. {@code labels}: only workflows carrying all of them; {@code budgetPercent}: the
 * share of a workflow's budget that {@link WebhookTrigger#BUDGET_THRESHOLD} fires at. The secret signs every request
 * and is never shown: {@link #toString()} and the API leave it out.
 */
public record WebhookSubscription(
        String id,
        URI url,
        Set<WebhookTrigger> events,
        Map<String, String> labels,
        PayloadFormat format,
        int budgetPercent,
        Secret secret,
        Origin origin) {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MIN_SECRET_LENGTH = 16;
    public static final int DEFAULT_BUDGET_PERCENT = 80;

    /** Where a subscription was made: the configuration file's cannot be changed over the API. */
    public enum Origin {
        CONFIGURATION,
        API
    }

    public WebhookSubscription {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "a webhook id is 1-64 letters, digits, '.', '_' or '-', starting with a letter " + "or digit, was '"
                            + id + "'");
        }
        Objects.requireNonNull(url, "url");
        events = Set.copyOf(events == null ? Set.of() : events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException(
                    "webhook '" + id + "' needs at least one event (known: " + WebhookTrigger.known() + ")");
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        format = format == null ? PayloadFormat.VOLT : format;
        if (budgetPercent < 1 || budgetPercent > 100) {
            throw new IllegalArgumentException(
                    "webhook '" + id + "': budgetPercent must be between 1 and 100, was " + budgetPercent);
        }
        Objects.requireNonNull(secret, "secret");
        if (secret.reveal().length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "webhook '" + id + "': the secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        Objects.requireNonNull(origin, "origin");
    }

    public boolean matchesLabels(Map<String, String> workflowLabels) {
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(workflowLabels.get(e.getKey())));
    }

    /** Incoming-webhook URLs of chat tools carry a credential in their path: logs and messages show only the host. */
    public String target() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "WebhookSubscription[id=" + id + ", target=" + target() + ", events=" + events + ", labels=" + labels
                + ", format=" + format + ", budgetPercent=" + budgetPercent + ", origin=" + origin + "]";
    }
}
