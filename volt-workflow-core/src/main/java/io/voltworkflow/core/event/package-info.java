/**
 * Public API for events: {@link io.voltworkflow.core.event.WorkflowEvent}, the sealed set of everything that happens
 * to a workflow, each stored as an {@link io.voltworkflow.core.event.EventRecord} with a gap-free per-workflow
 * sequence; {@link io.voltworkflow.core.event.EventListener} and
 * {@link io.voltworkflow.core.event.Subscription} for live and catch-up delivery.
 */
@NullMarked
package io.voltworkflow.core.event;

import org.jspecify.annotations.NullMarked;
