/**
 * Internal: the machinery of {@link io.voltworkflow.server.webhooks.Webhooks}, not API — deriving deliveries from
 * events, signing and sending them, and the subscriptions' stored documents.
 */
package io.voltworkflow.server.internal.webhooks;
