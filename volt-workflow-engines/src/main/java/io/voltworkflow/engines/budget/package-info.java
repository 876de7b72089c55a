/**
 * Public API for spending: {@link io.voltworkflow.engines.budget.BudgetGuard} stops paid calls once a workflow's
 * budget is spent; {@link io.voltworkflow.engines.budget.Pricing} turns reported tokens into cost.
 */
@NullMarked
package io.voltworkflow.engines.budget;

import org.jspecify.annotations.NullMarked;
