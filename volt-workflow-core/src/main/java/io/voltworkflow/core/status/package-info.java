/**
 * Public API: read-only views — {@link io.voltworkflow.core.status.WorkflowStatus} (the one status shape),
 * per-workflow {@link io.voltworkflow.core.status.WorkflowMetrics}, engine-wide
 * {@link io.voltworkflow.core.status.WorkflowAnalytics}, {@link io.voltworkflow.core.status.DispatchStats} and
 * {@link io.voltworkflow.core.status.WorkflowQuery} for listing, and the
 * {@link io.voltworkflow.core.status.PatchHistory} of generated patches with their provenance.
 */
@NullMarked
package io.voltworkflow.core.status;

import org.jspecify.annotations.NullMarked;
