package io.voltworkflow.core.outbox;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One notification for one subscription. {@code deliveryId} is derived from what caused it, so deriving it again
 * (after a crash) yields the same entry; receivers see it on every attempt and use it to drop duplicates.
 * {@code payload} is the notification as JSON, fixed when the entry is made so every attempt sends the same facts.
 * {@code lastStatus} is the receiver's last HTTP status, 0 when it gave none.
 */
public record OutboxEntry(
        String deliveryId,
        String subscriptionId,
        WorkflowId workflowId,
        long sequence,
        String event,
        String payload,
        Instant createdAt,
        DeliveryState state,
        int attempts,
        Instant nextAttemptAt,
        @Nullable Instant lastAttemptAt,
        int lastStatus,
        @Nullable String lastError) {

    public OutboxEntry {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
    }

    /** A new entry, due at once. */
    public static OutboxEntry pending(
            String deliveryId,
            String subscriptionId,
            WorkflowId workflowId,
            long sequence,
            String event,
            String payload,
            Instant now) {
        return new OutboxEntry(
                deliveryId,
                subscriptionId,
                workflowId,
                sequence,
                event,
                payload,
                now,
                DeliveryState.PENDING,
                0,
                now,
                null,
                0,
                null);
    }

    /** After a failed attempt that will be retried at {@code next}. */
    public OutboxEntry retryAt(Instant attemptedAt, int status, String error, Instant next) {
        return next(DeliveryState.PENDING, attempts + 1, next, attemptedAt, status, error);
    }

    /** After the receiver accepted it. */
    public OutboxEntry delivered(Instant attemptedAt, int status) {
        return next(DeliveryState.DELIVERED, attempts + 1, attemptedAt, attemptedAt, status, null);
    }

    /** After the last allowed attempt failed. */
    public OutboxEntry dead(Instant attemptedAt, int status, String error) {
        return next(DeliveryState.DEAD, attempts + 1, attemptedAt, attemptedAt, status, error);
    }

    /** Sent again on request, with the same delivery id and a fresh set of attempts. */
    public OutboxEntry redeliver(Instant now) {
        return next(DeliveryState.PENDING, 0, now, lastAttemptAt, lastStatus, lastError);
    }

    /** The same notification in its next delivery state: what it says and why it exists never change. */
    private OutboxEntry next(
            DeliveryState state,
            int attempts,
            Instant nextAttemptAt,
            @Nullable Instant lastAttemptAt,
            int lastStatus,
            @Nullable String lastError) {
        return new OutboxEntry(
                deliveryId,
                subscriptionId,
                workflowId,
                sequence,
                event,
                payload,
                createdAt,
                state,
                attempts,
                nextAttemptAt,
                lastAttemptAt,
                lastStatus,
                lastError);
    }
}
