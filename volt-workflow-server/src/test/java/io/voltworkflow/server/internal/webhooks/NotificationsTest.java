package io.voltworkflow.server.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.outbox.OutboxEntry;
import io.voltworkflow.core.status.Progress;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.server.webhooks.PayloadFormat;
import io.voltworkflow.server.webhooks.WebhookSubscription;
import io.voltworkflow.server.webhooks.WebhookTrigger;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an event turns into, for each subscription: the rules that need no process around them. */
class NotificationsTest {
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
    private static final WorkflowId WF = new WorkflowId("wf-budget");
    private final Notifications notifications = new Notifications(Optional.empty());

    private static Notifications.Active subscription(
            String id, Set<WebhookTrigger> events, int budgetPercent, Instant since) {
        return new Notifications.Active(
                new WebhookSubscription(
                        id,
                        URI.create("https://203.0.113.9/" + id),
                        events,
                        Map.of(),
                        PayloadFormat.VOLT,
                        budgetPercent,
                        Secret.of("secret-0123456789abcdef"),
                        WebhookSubscription.Origin.API),
                since);
    }

    private static Notifications.Workflow spent(long tokens) {
        WorkflowStatus status = new WorkflowStatus(
                WF,
                WorkflowState.RUNNING,
                "Add a login page",
                null,
                Map.of(),
                T0,
                T0,
                null,
                7,
                new Progress(1, 3, 33.3, null),
                List.of(),
                List.of(),
                null,
                new Usage(tokens, 0, 0),
                null);
        return new Notifications.Workflow(status, new Budget(1000, 0));
    }

    private static EventRecord stepCompleted(long sequence, Instant at) {
        return new EventRecord(
                WF,
                sequence,
                at,
                new WorkflowEvent.StepCompleted("analysis", 1, 5, null, new Usage(100, 0, 0), Map.of()));
    }

    @Test
    void theBudgetThresholdFiresOnceCrossedWithOneDeliveryIdPerWorkflow() {
        Notifications.Active eighty = subscription("eighty", Set.of(WebhookTrigger.BUDGET_THRESHOLD), 80, T0);
        assertThat(notifications.derive(stepCompleted(3, T0), spent(799), List.of(eighty), T0))
                .isEmpty();
        List<OutboxEntry> crossed = notifications.derive(stepCompleted(4, T0), spent(800), List.of(eighty), T0);
        assertThat(crossed).singleElement().satisfies(entry -> {
            assertThat(entry.event()).isEqualTo("budget_threshold");
            assertThat(entry.payload()).contains("\"thresholdPercent\":80").contains("\"maxTokens\":1000");
        });
        // Later spending derives the same notification again: the outbox keeps the first.
        assertThat(notifications.derive(stepCompleted(9, T0), spent(950), List.of(eighty), T0))
                .extracting(OutboxEntry::deliveryId)
                .containsExactly(crossed.get(0).deliveryId());
    }

    @Test
    void eventsBeforeASubscriptionWasFirstSeenAreNotNotified() {
        Notifications.Active late =
                subscription("late", Set.of(WebhookTrigger.WORKFLOW_COMPLETED), 80, T0.plusSeconds(60));
        EventRecord completed = new EventRecord(WF, 8, T0, new WorkflowEvent.WorkflowCompleted(null));
        assertThat(notifications.derive(completed, spent(0), List.of(late), T0)).isEmpty();
    }

    @Test
    void aStepFailureThatIsRetriedIsNotNotified() {
        Notifications.Active failures = subscription("f", Set.of(WebhookTrigger.STEP_FAILED), 80, T0);
        EventRecord retrying =
                new EventRecord(WF, 5, T0, new WorkflowEvent.StepRetrying("analysis", 1, 5, null, 10, T0, null));
        assertThat(notifications.derive(retrying, spent(0), List.of(failures), T0))
                .isEmpty();
    }
}
