package io.voltworkflow.core.outbox;

import java.util.Locale;

/** Where a notification stands: waiting for its next attempt, accepted by the receiver, or given up on. */
public enum DeliveryState {
    PENDING,
    DELIVERED,
    /** Every attempt failed: kept until an operator redelivers it. */
    DEAD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromWireName(String name) {
        for (DeliveryState state : values()) {
            if (state.wireName().equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown delivery state '" + name + "' (known: pending, delivered, dead)");
    }
}
