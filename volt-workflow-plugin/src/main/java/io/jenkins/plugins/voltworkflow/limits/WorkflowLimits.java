package io.jenkins.plugins.voltworkflow.limits;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How much one workflow may do: concurrent steps, a timeout per step attempt, retries per step and a budget in
 * US dollars (0 = no budget). The global configuration holds the defaults; a step may override each of them.
 */
public final class WorkflowLimits implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int MAX_CONCURRENCY = 64;
    public static final int MAX_RETRIES = 10;
    public static final int MAX_STEP_TIMEOUT_MINUTES = 24 * 60;
    public static final WorkflowLimits DEFAULTS = new WorkflowLimits(4, 30, 3, 0);

    private final int maxConcurrentSteps;
    private final int stepTimeoutMinutes;
    private final int maxRetries;
    private final double budgetUsd;

    private WorkflowLimits(int maxConcurrentSteps, int stepTimeoutMinutes, int maxRetries, double budgetUsd) {
        this.maxConcurrentSteps = maxConcurrentSteps;
        this.stepTimeoutMinutes = stepTimeoutMinutes;
        this.maxRetries = maxRetries;
        this.budgetUsd = budgetUsd;
    }

    public static Builder builder(WorkflowLimits base) {
        return new Builder(base);
    }

    public int maxConcurrentSteps() {
        return maxConcurrentSteps;
    }

    public Duration stepTimeout() {
        return Duration.ofMinutes(stepTimeoutMinutes);
    }

    public int stepTimeoutMinutes() {
        return stepTimeoutMinutes;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** The budget in US dollars, empty when the workflow has none. */
    public Optional<Double> budgetUsd() {
        return budgetUsd > 0 ? Optional.of(budgetUsd) : Optional.empty();
    }

    public static Optional<String> concurrencyProblem(long value) {
        return value >= 1 && value <= MAX_CONCURRENCY
                ? Optional.empty()
                : Optional.of("concurrency must be between 1 and " + MAX_CONCURRENCY + ", was " + value);
    }

    public static Optional<String> stepTimeoutProblem(long minutes) {
        return minutes >= 1 && minutes <= MAX_STEP_TIMEOUT_MINUTES
                ? Optional.empty()
                : Optional.of("the step timeout must be between 1 and " + MAX_STEP_TIMEOUT_MINUTES + " minutes, was "
                        + minutes);
    }

    public static Optional<String> retriesProblem(long value) {
        return value >= 0 && value <= MAX_RETRIES
                ? Optional.empty()
                : Optional.of("retries must be between 0 and " + MAX_RETRIES + ", was " + value);
    }

    public static Optional<String> budgetProblem(double usd) {
        return usd >= 0 && Double.isFinite(usd)
                ? Optional.empty()
                : Optional.of("the budget must be a non-negative amount of US dollars (0 = no budget), was " + usd);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WorkflowLimits that
                && maxConcurrentSteps == that.maxConcurrentSteps
                && stepTimeoutMinutes == that.stepTimeoutMinutes
                && maxRetries == that.maxRetries
                && Double.compare(budgetUsd, that.budgetUsd) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxConcurrentSteps, stepTimeoutMinutes, maxRetries, budgetUsd);
    }

    @Override
    public String toString() {
        return "concurrency " + maxConcurrentSteps + ", step timeout " + stepTimeoutMinutes + " min, retries "
                + maxRetries + ", budget " + (budgetUsd > 0 ? "$" + budgetUsd : "none");
    }

    /** Overrides some limits of a base; {@code null} keeps the base's value. */
    public static final class Builder {
        private int maxConcurrentSteps;
        private int stepTimeoutMinutes;
        private int maxRetries;
        private double budgetUsd;

        private Builder(WorkflowLimits base) {
            maxConcurrentSteps = base.maxConcurrentSteps;
            stepTimeoutMinutes = base.stepTimeoutMinutes;
            maxRetries = base.maxRetries;
            budgetUsd = base.budgetUsd;
        }

        public Builder maxConcurrentSteps(Integer value) {
            if (value != null) {
                maxConcurrentSteps = value;
            }
            return this;
        }

        public Builder stepTimeoutMinutes(Integer value) {
            if (value != null) {
                stepTimeoutMinutes = value;
            }
            return this;
        }

        public Builder maxRetries(Integer value) {
            if (value != null) {
                maxRetries = value;
            }
            return this;
        }

        public Builder budgetUsd(Double value) {
            if (value != null) {
                budgetUsd = value;
            }
            return this;
        }

        /** @throws IllegalArgumentException naming every limit out of range */
        public WorkflowLimits build() {
            List<String> problems = new ArrayList<>();
            concurrencyProblem(maxConcurrentSteps).ifPresent(problems::add);
            stepTimeoutProblem(stepTimeoutMinutes).ifPresent(problems::add);
            retriesProblem(maxRetries).ifPresent(problems::add);
            budgetProblem(budgetUsd).ifPresent(problems::add);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new WorkflowLimits(maxConcurrentSteps, stepTimeoutMinutes, maxRetries, budgetUsd);
        }
    }
}
