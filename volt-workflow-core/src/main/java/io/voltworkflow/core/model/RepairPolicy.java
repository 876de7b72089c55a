package io.voltworkflow.core.model;

import java.util.Set;

/**
 * Repair policy as data: when a validation step fails with one of {@code repairOn} (by default
 * {@link StepError#VALIDATION_FAILED}), its task goes back to code generation with the failure as feedback, at most
 * {@code maxRounds} times per task. {@code maxRounds = 0} turns repair off: the first validation failure fails the
 * workflow. A round starts only while the workflow's budget lasts.
 */
public record RepairPolicy(int maxRounds, Set<String> repairOn) {
    public static final int MAX_ROUNDS_LIMIT = 10;
    public static final RepairPolicy DEFAULT = builder().build();
    public static final RepairPolicy NONE = builder().maxRounds(0).build();

    public RepairPolicy {
        if (maxRounds < 0 || maxRounds > MAX_ROUNDS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxRepairRounds must be between 0 and " + MAX_ROUNDS_LIMIT + ", was " + maxRounds);
        }
        repairOn = Set.copyOf(repairOn == null ? Set.of(StepError.VALIDATION_FAILED) : repairOn);
        if (maxRounds > 0 && repairOn.isEmpty()) {
            throw new IllegalArgumentException(
                    "a repair policy with rounds needs at least one error code to repair on");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a validation that failed with {@code error} in round {@code round} (0: first pass) gets another round. */
    public boolean repairs(int round, StepError error) {
        return round < maxRounds && repairOn.contains(error.code());
    }

    public static final class Builder {
        private int maxRounds = 2;
        private Set<String> repairOn = Set.of(StepError.VALIDATION_FAILED);

        private Builder() {}

        public Builder maxRounds(int maxRounds) {
            this.maxRounds = maxRounds;
            return this;
        }

        public Builder repairOn(Set<String> codes) {
            this.repairOn = codes;
            return this;
        }

        public RepairPolicy build() {
            return new RepairPolicy(maxRounds, repairOn);
        }
    }
}
