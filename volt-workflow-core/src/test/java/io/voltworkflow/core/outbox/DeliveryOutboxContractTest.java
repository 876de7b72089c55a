package io.voltworkflow.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every store's outbox guarantees; each store's test supplies a fresh outbox and a way to reopen it. */
public abstract class DeliveryOutboxContractTest {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    protected static final WorkflowId WF = new WorkflowId("wf-1");

    /** A fresh, empty outbox. */
    protected abstract DeliveryOutbox outbox();

    /** The same outbox as a new process would see it (the same object for stores without durability). */
    protected abstract DeliveryOutbox reopen();

    public static OutboxEntry entry(String id, long sequence, Instant at) {
        return OutboxEntry.pending(id, "sub-a", WF, sequence, "workflow_failed", "{\"n\":" + sequence + "}", at);
    }

    @Test
    void enqueueAddsEachDeliveryIdOnceAndRaisesTheCursor() {
        DeliveryOutbox outbox = outbox();
        assertThat(outbox.cursor(WF)).isZero();
        List<OutboxEntry> added = outbox.enqueue(List.of(entry("d-1", 3, T0), entry("d-1", 3, T0)), Map.of(WF, 3L));
        assertThat(added).extracting(OutboxEntry::deliveryId).containsExactly("d-1");
        assertThat(outbox.enqueue(List.of(entry("d-1", 3, T0.plusSeconds(5)), entry("d-2", 7, T0)), Map.of(WF, 2L)))
                .extracting(OutboxEntry::deliveryId)
                .containsExactly("d-2");
        DeliveryOutbox reopened = reopen();
        assertThat(reopened.cursor(WF)).isEqualTo(3);
        assertThat(reopened.find("d-1")).contains(entry("d-1", 3, T0));
        assertThat(reopened.list(null, null, 10)).hasSize(2);
    }

    @Test
    void attemptsAreDurableAndOnlyPendingDueEntriesAreDue() {
        DeliveryOutbox outbox = outbox();
        outbox.enqueue(List.of(entry("d-1", 1, T0), entry("d-2", 2, T0), entry("d-3", 3, T0)), Map.of(WF, 3L));
        OutboxEntry first = outbox.find("d-1").orElseThrow();
        outbox.update(first.retryAt(T0, 500, "HTTP 500", T0.plusSeconds(30)));
        outbox.update(outbox.find("d-2").orElseThrow().delivered(T0, 204));
        outbox.update(outbox.find("d-3").orElseThrow().dead(T0, 0, "connection refused"));

        DeliveryOutbox reopened = reopen();
        assertThat(reopened.due(T0.plusSeconds(29), 10)).isEmpty();
        assertThat(reopened.nextAttempt()).contains(T0.plusSeconds(30));
        OutboxEntry retried = reopened.due(T0.plusSeconds(30), 10).get(0);
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.lastStatus()).isEqualTo(500);
        assertThat(reopened.list("sub-a", DeliveryState.DEAD, 10))
                .extracting(OutboxEntry::deliveryId)
                .containsExactly("d-3");
        assertThat(reopened.list("sub-other", null, 10)).isEmpty();

        reopened.update(reopened.find("d-3").orElseThrow().redeliver(T0.plus(Duration.ofHours(1))));
        assertThat(reopen().due(T0.plus(Duration.ofHours(1)), 10))
                .extracting(OutboxEntry::deliveryId)
                .containsExactly("d-1", "d-3");
    }

    @Test
    void registrationKeepsTheFirstTimeAndSubscriptionsSurvive() {
        DeliveryOutbox outbox = outbox();
        assertThat(outbox.register("sub-a", T0)).isEqualTo(T0);
        assertThat(outbox.register("sub-a", T0.plusSeconds(60))).isEqualTo(T0);
        outbox.saveSubscription("sub-b", "{\"url\":\"https://example.com/b\"}");
        outbox.saveSubscription("sub-c", "{}");
        outbox.deleteSubscription("sub-c");
        DeliveryOutbox reopened = reopen();
        assertThat(reopened.register("sub-a", T0.plusSeconds(90))).isEqualTo(T0);
        assertThat(reopened.subscriptions()).containsOnly(Map.entry("sub-b", "{\"url\":\"https://example.com/b\"}"));
    }
}
