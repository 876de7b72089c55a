package io.voltworkflow.server.webhooks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a subscription is notified of, by the names of the configuration file and the API. */
public enum WebhookTrigger {
    WORKFLOW_COMPLETED,
    WORKFLOW_FAILED,
    WORKFLOW_CANCELLED,
    /** Paused: it waits for someone to resume it. */
    WORKFLOW_PAUSED,
    /** A step failed after its last retry (retried failures are not notified). */
    STEP_FAILED,
    /** The workflow's spending crossed the subscription's percentage of its budget: once per workflow. */
    BUDGET_THRESHOLD,
    /** A task's validation failed and it went back to code generation ({@code repair_round_started}). */
    REPAIR_ROUND_STARTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WebhookTrigger fromWireName(String name) {
        for (WebhookTrigger trigger : values()) {
            if (trigger.wireName().equals(name)) {
                return trigger;
            }
        }
        throw new IllegalArgumentException("unknown webhook event '" + name + "' (known: " + known() + ")");
    }

    public static String known() {
        return Arrays.stream(values()).map(WebhookTrigger::wireName).collect(Collectors.joining(", "));
    }
}
