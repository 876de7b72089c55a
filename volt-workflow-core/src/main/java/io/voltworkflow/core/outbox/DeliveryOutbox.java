package io.voltworkflow.core.outbox;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The notification outbox a store keeps next to its events. Every change is durable when the call returns. Several
 * processes may share a database store's outbox: entries are keyed by delivery id, so deriving the same
 * notification twice adds it once.
 */
public interface DeliveryOutbox {

    /**
     * Adds the entries whose delivery id is not present yet and raises the workflows' cursors, in one durable write.
     * Returns the entries actually added.
     */
    List<OutboxEntry> enqueue(List<OutboxEntry> entries, Map<WorkflowId, Long> cursors);

    /** The highest sequence of the workflow whose notifications were enqueued; 0 when none. */
    long cursor(WorkflowId workflowId);

    /** Replaces the entry with the same delivery id (after an attempt, or to redeliver it). */
    void update(OutboxEntry entry);

    Optional<OutboxEntry> find(String deliveryId);

    /** Pending entries due at {@code now}, earliest first. */
    List<OutboxEntry> due(Instant now, int limit);

    /** When the earliest pending entry is due; empty when none is pending. */
    Optional<Instant> nextAttempt();

    /** Entries newest first; {@code subscriptionId} and {@code state} filter when not {@code null}. */
    List<OutboxEntry> list(@Nullable String subscriptionId, @Nullable DeliveryState state, int limit);

    /**
     * The time the subscription was first seen by this outbox, recording {@code now} if it never was. Events before it
     * are not notified: adding a subscription does not replay the past.
     */
    Instant register(String subscriptionId, Instant now);

    /** Subscriptions made at run time, as their host's documents, by id. */
    Map<String, String> subscriptions();

    void saveSubscription(String id, String document);

    /** Removes a subscription made at run time; its entries stay (and may still be redelivered). */
    void deleteSubscription(String id);
}
