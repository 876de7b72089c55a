package io.voltworkflow.server.webhooks;

import java.util.Locale;

/** The body a subscription receives: Volt's JSON, or a message Slack or Microsoft Teams incoming webhooks display. */
public enum PayloadFormat {
    VOLT,
    SLACK,
    TEAMS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PayloadFormat fromWireName(String name) {
        for (PayloadFormat format : values()) {
            if (format.wireName().equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown webhook format '" + name + "' (known: volt, slack, teams)");
    }
}
