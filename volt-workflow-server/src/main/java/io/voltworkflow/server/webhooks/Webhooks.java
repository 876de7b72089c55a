package io.voltworkflow.server.webhooks;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.outbox.DeliveryOutbox;
import io.voltworkflow.core.outbox.DeliveryState;
import io.voltworkflow.core.outbox.OutboxEntry;
import io.voltworkflow.server.internal.webhooks.WebhookRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Signed HTTP notifications of workflow events. Every matching event becomes an entry of the store's outbox before
 * anything is sent; entries are sent until the receiver answers 2xx, with capped exponential backoff and jitter
 * between attempts, and become dead after the last allowed attempt. Each request carries the entry's delivery id,
 * the same on every attempt and after a restart, so receivers drop duplicates by it. Opening resumes what a
 * previous process left: events after the outbox's cursor are derived again and pending entries are sent.
 */
public interface Webhooks extends AutoCloseable {

    /** Starts notifying; {@code outbox} is the orchestrator's store's. */
    static Webhooks start(WorkflowOrchestrator orchestrator, DeliveryOutbox outbox, WebhookOptions options) {
        return WebhookRuntime.start(orchestrator, outbox, options);
    }

    /** The configuration file's subscriptions, then those made over the API, by id. */
    List<WebhookSubscription> subscriptions();

    Optional<WebhookSubscription> subscription(String id);

    /** Adds a subscription of origin {@link WebhookSubscription.Origin#API}; it is notified of events from now on. */
    WebhookSubscription create(WebhookSubscription subscription);

    /** Removes a subscription made over the API; its deliveries stay listed. */
    void delete(String id);

    /** Deliveries newest first; {@code subscriptionId} and {@code state} filter when not {@code null}. */
    List<OutboxEntry> deliveries(@Nullable String subscriptionId, @Nullable DeliveryState state, int limit);

    Optional<OutboxEntry> delivery(String deliveryId);

    /** Sends a delivery again now, with the same delivery id and a fresh set of attempts. */
    OutboxEntry redeliver(String deliveryId);

    /** What deliveries may reach: subscriptions made over the API are checked against it. */
    WebhookTargets targets();

    /**
     * Waits, up to {@code timeout}, until the workflow's events through {@code sequence} were turned into deliveries
     * and none of them is being sent or due now (those waiting for a retry are left to a later process). Returns
     * whether that happened in time.
     */
    boolean awaitSettled(WorkflowId workflowId, long sequence, Duration timeout) throws InterruptedException;

    /** Stops sending; deliveries not finished stay in the outbox for the next process. */
    @Override
    void close();

    /** A refusal with its reason, for hosts to map (the API answers 404 or 409). */
    final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public enum Reason {
            NO_SUCH_SUBSCRIPTION,
            NO_SUCH_DELIVERY,
            SUBSCRIPTION_EXISTS,
            CONFIGURED_IN_FILE
        }

        private final Reason reason;

        public RefusedException(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
