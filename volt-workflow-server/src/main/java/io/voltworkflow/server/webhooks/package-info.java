/**
 * Public API of webhooks: {@link io.voltworkflow.server.webhooks.Webhooks} turns workflow events into signed HTTP
 * notifications for {@link io.voltworkflow.server.webhooks.WebhookSubscription}s, through the store's outbox
 * (at least once, with a stable delivery id), under {@link io.voltworkflow.server.webhooks.WebhookOptions}.
 */
package io.voltworkflow.server.webhooks;
