package io.voltworkflow.core.model;

/**
 * Spending limit of one workflow. {@code 0} means unlimited. When spent, the workflow fails with
 * {@link StepError#BUDGET_EXHAUSTED} before any further engine call.
 */
public record Budget(long maxTokens, double maxCostUsd) {
    public static final Budget UNLIMITED = new Budget(0, 0);

    public Budget {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("budget maxTokens must not be negative, was " + maxTokens);
        }
        if (!(maxCostUsd >= 0) || Double.isInfinite(maxCostUsd)) {
            throw new IllegalArgumentException("budget maxCostUsd must be a non-negative number, was " + maxCostUsd);
        }
    }

    /** The share of this budget {@code usage} has spent (tokens or cost, whichever is higher); 0 when unlimited. */
    public double usedRatio(Usage usage) {
        double tokens = maxTokens > 0 ? (double) usage.totalTokens() / maxTokens : 0;
        double cost = maxCostUsd > 0 ? usage.costUsd() / maxCostUsd : 0;
        return Math.max(tokens, cost);
    }

    public boolean isExhaustedBy(Usage usage) {
        return (maxTokens > 0 && usage.totalTokens() >= maxTokens) || (maxCostUsd > 0 && usage.costUsd() >= maxCostUsd);
    }
}
