package io.voltworkflow.server.internal.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.outbox.OutboxEntry;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.webhooks.WebhookSubscription;
import io.voltworkflow.server.webhooks.WebhookTrigger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Derives the notifications an event causes: one outbox entry per matching subscription, in Volt's JSON. Deriving
 * is a pure function of the event, the workflow and the subscriptions, so the delivery id of a notification derived
 * again after a crash is the one it had.
 */
final class Notifications {
    private final Optional<URI> workflowPageBase;

    Notifications(Optional<URI> workflowPageBase) {
        this.workflowPageBase = workflowPageBase;
    }

    /** What a workflow looks like to the deriver: its status now and its budget. */
    record Workflow(WorkflowStatus status, @Nullable Budget budget) {}

    /** A subscription with the time it was first registered: events before then are not notified. */
    record Active(WebhookSubscription subscription, Instant since) {}

    List<OutboxEntry> derive(EventRecord record, Workflow workflow, List<Active> subscriptions, Instant now) {
        List<OutboxEntry> entries = new ArrayList<>();
        for (Active active : subscriptions) {
            WebhookSubscription subscription = active.subscription();
            if (record.timestamp().isBefore(active.since())
                    || !subscription.matchesLabels(workflow.status().labels())) {
                continue;
            }
            for (WebhookTrigger trigger : subscription.events()) {
                if (fires(trigger, record, workflow, subscription)) {
                    String cause =
                            trigger == WebhookTrigger.BUDGET_THRESHOLD ? "budget" : Long.toString(record.sequence());
                    String deliveryId =
                            deliveryId(subscription.id(), record.workflowId().value(), cause);
                    entries.add(OutboxEntry.pending(
                            deliveryId,
                            subscription.id(),
                            record.workflowId(),
                            record.sequence(),
                            trigger.wireName(),
                            payload(deliveryId, trigger, record, workflow, subscription),
                            now));
                }
            }
        }
        return entries;
    }

    private static boolean fires(
            WebhookTrigger trigger, EventRecord record, Workflow workflow, WebhookSubscription subscription) {
        if (trigger != WebhookTrigger.BUDGET_THRESHOLD) {
            return trigger.wireName().equals(record.type().wireName());
        }
        Usage usage = usageOf(record.event());
        Budget budget = workflow.budget();
        if (usage == null || budget == null) {
            return false;
        }
        Usage spent = workflow.status().usage();
        double share = subscription.budgetPercent() / 100.0;
        return (budget.maxTokens() > 0 && spent.totalTokens() >= share * budget.maxTokens())
                || (budget.maxCostUsd() > 0 && spent.costUsd() >= share * budget.maxCostUsd());
    }

    private static @Nullable Usage usageOf(WorkflowEvent event) {
        if (event instanceof WorkflowEvent.StepCompleted completed) {
            return completed.usage();
        }
        if (event instanceof WorkflowEvent.StepRetrying retrying) {
            return retrying.usage();
        }
        return event instanceof WorkflowEvent.StepFailed failed ? failed.usage() : null;
    }

    /** Stable across processes: a digest of the subscription, the workflow and what caused the notification. */
    static String deliveryId(String subscriptionId, String workflowId, String cause) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((subscriptionId + "\n" + workflowId + "\n" + cause).getBytes(StandardCharsets.UTF_8));
            return "dlv_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private String payload(
            String deliveryId,
            WebhookTrigger trigger,
            EventRecord record,
            Workflow workflow,
            WebhookSubscription subscription) {
        WorkflowStatus status = workflow.status();
        ObjectNode body = WorkflowJson.mapper()
                .createObjectNode()
                .put("deliveryId", deliveryId)
                .put("event", trigger.wireName())
                .put("subscription", subscription.id())
                .put("occurredAt", record.timestamp().toString())
                .put("sequence", record.sequence());
        ObjectNode about = body.putObject("workflow")
                .put("id", status.workflowId().value())
                .put("state", status.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("requirement", status.requirement());
        ObjectNode labels = about.putObject("labels");
        status.labels().forEach(labels::put);
        workflowPageBase.ifPresent(
                base -> about.put("url", pageOf(base, status.workflowId().value())));
        if (record.event().step() != null) {
            body.put("step", record.event().step());
        }
        WorkflowEvent event = record.event();
        if (event instanceof WorkflowEvent.WorkflowFailed failed) {
            if (failed.failedStep() != null) {
                body.put("step", failed.failedStep());
            }
            putError(body, failed.error());
        } else if (event instanceof WorkflowEvent.StepFailed failed) {
            putError(body, failed.error());
            body.put("attempts", failed.attempt());
        } else if (event instanceof WorkflowEvent.RepairRoundStarted repair) {
            putError(body, repair.failure());
            body.put("repairRound", repair.round()).put("maxRepairRounds", repair.maxRounds());
        } else if (event instanceof WorkflowEvent.WorkflowPaused paused) {
            body.put("reason", paused.reason());
        } else if (event instanceof WorkflowEvent.WorkflowCancelled cancelled) {
            body.put("reason", cancelled.reason());
        }
        body.set("usage", WorkflowJson.toTree(status.usage()));
        if (trigger == WebhookTrigger.BUDGET_THRESHOLD) {
            Budget budget =
                    Objects.requireNonNull(workflow.budget(), "only a workflow with a budget crosses its threshold");
            body.putObject("budget")
                    .put("maxTokens", budget.maxTokens())
                    .put("maxCostUsd", budget.maxCostUsd())
                    .put("thresholdPercent", subscription.budgetPercent());
        }
        return body.toString();
    }

    private static void putError(ObjectNode body, StepError error) {
        if (error != null) {
            body.putObject("error")
                    .put("code", error.code())
                    .put("message", error.message())
                    .put("retryable", error.retryable());
        }
    }

    static String pageOf(URI base, String workflowId) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return root + "#/workflows/" + java.net.URLEncoder.encode(workflowId, StandardCharsets.UTF_8);
    }
}
