/**
 * Internal: the engine's machinery, not API — hosts use only the public packages, and nothing here is kept
 * compatible between versions. The parts, each depending only on those listed after it:
 * {@link io.voltworkflow.core.internal.DefaultWorkflowOrchestrator} (the lifecycle API and wiring),
 * {@link io.voltworkflow.core.internal.Recovery} (replay, leases, snapshots),
 * {@link io.voltworkflow.core.internal.AttemptRunner} (invoke, timeout, classify, retry),
 * {@link io.voltworkflow.core.internal.Workflows} (the registry and its critical sections),
 * {@link io.voltworkflow.core.internal.Dispatcher} (ready queue, bounds, critical-path order) and
 * {@link io.voltworkflow.core.internal.Journal} (events to the store, then to subscribers through the event bus);
 * {@code WorkflowRuntime} is the state all of them fold events into.
 */
package io.voltworkflow.core.internal;
