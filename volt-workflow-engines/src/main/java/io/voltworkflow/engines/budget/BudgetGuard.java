package io.voltworkflow.engines.budget;

import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;

/** Every paid call asks first: once the workflow's budget is spent, the step fails instead of spending more. */
public final class BudgetGuard {
    private BudgetGuard() {}

    /** Throws {@code BUDGET_EXHAUSTED} (not retryable; resumable once the budget is raised) if the budget is spent. */
    public static void checkBeforePaidCall(EngineContext context, String engine) {
        if (context.budgetExhausted()) {
            throw new EngineException(StepError.recoverable(
                    StepError.BUDGET_EXHAUSTED,
                    "the workflow's budget is exhausted; " + engine + " was not called for step '" + context.stepName()
                            + "'"));
        }
    }
}
