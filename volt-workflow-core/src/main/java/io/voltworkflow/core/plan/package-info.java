/**
 * Public API: {@link io.voltworkflow.core.plan.StandardPlan}, the standard plan (analysis, task creation, code
 * generation and validation per task, completion) and how it grows when task creation returns its task plan.
 */
@NullMarked
package io.voltworkflow.core.plan;

import org.jspecify.annotations.NullMarked;
