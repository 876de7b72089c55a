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

  public boolean isExhaustedBy(Usage usage) {
    return (maxTokens > 0 && usage.totalTokens() >= maxTokens) || (maxCostUsd > 0 && usage.costUsd() >= maxCostUsd);
  }
}
