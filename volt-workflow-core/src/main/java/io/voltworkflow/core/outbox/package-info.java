/**
 * Public API of the notification outbox: {@link io.voltworkflow.core.outbox.DeliveryOutbox}, kept by a
 * {@link io.voltworkflow.core.store.WorkflowStore} next to its events, holds one
 * {@link io.voltworkflow.core.outbox.OutboxEntry} per notification to deliver (with a stable delivery id), the
 * per-workflow cursor up to which events were turned into entries, and the subscriptions made at run time. Hosts
 * (webhooks) derive entries from events, so a crash between an event and its entry loses nothing: the events after
 * the cursor are derived again, and an entry already present is never added twice.
 */
@NullMarked
package io.voltworkflow.core.outbox;

import org.jspecify.annotations.NullMarked;
