package io.voltworkflow.core.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Per-workflow settings. {@code maxConcurrentSteps = 0} leaves only the orchestrator's global bound; a
 * {@code deadline} (from start) fails the workflow with {@link StepError#DEADLINE_EXCEEDED} when it passes;
 * {@code workflowId} lets a caller choose the id, making creation idempotent; {@code repair} says how often a task
 * whose validation failed goes back to code generation ({@code null}, as in workflows recorded before repair
 * existed, reads as {@link RepairPolicy#DEFAULT}).
 */
public record WorkflowOptions(
        Optional<WorkflowId> workflowId,
        int maxConcurrentSteps,
        Optional<Duration> deadline,
        Budget budget,
        Map<String, String> labels,
        RepairPolicy repair) {

    public static final WorkflowOptions DEFAULTS = builder().build();

    public WorkflowOptions {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(budget, "budget");
        if (maxConcurrentSteps < 0) {
            throw new IllegalArgumentException("maxConcurrentSteps must not be negative, was " + maxConcurrentSteps);
        }
        deadline.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("deadline must be positive, was " + d);
            }
        });
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        repair = repair == null ? RepairPolicy.DEFAULT : repair;
    }

    public Builder toBuilder() {
        return new Builder()
                .workflowId(workflowId.orElse(null))
                .maxConcurrentSteps(maxConcurrentSteps)
                .deadline(deadline.orElse(null))
                .budget(budget)
                .labels(labels)
                .repair(repair);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private @Nullable WorkflowId workflowId;
        private int maxConcurrentSteps;
        private @Nullable Duration deadline;
        private Budget budget = Budget.UNLIMITED;
        private Map<String, String> labels = Map.of();
        private RepairPolicy repair = RepairPolicy.DEFAULT;

        private Builder() {}

        public Builder workflowId(@Nullable WorkflowId workflowId) {
            this.workflowId = workflowId;
            return this;
        }

        public Builder maxConcurrentSteps(int maxConcurrentSteps) {
            this.maxConcurrentSteps = maxConcurrentSteps;
            return this;
        }

        public Builder deadline(@Nullable Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder budget(Budget budget) {
            this.budget = budget;
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder repair(RepairPolicy repair) {
            this.repair = repair;
            return this;
        }

        /** Shorthand for a {@link RepairPolicy} with {@code maxRounds} rounds on validation failures. */
        public Builder maxRepairRounds(int maxRounds) {
            return repair(RepairPolicy.builder().maxRounds(maxRounds).build());
        }

        public WorkflowOptions build() {
            return new WorkflowOptions(
                    Optional.ofNullable(workflowId),
                    maxConcurrentSteps,
                    Optional.ofNullable(deadline),
                    budget,
                    labels,
                    repair);
        }
    }
}
