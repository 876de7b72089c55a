package io.voltworkflow.core.engine;

import io.voltworkflow.core.model.StepError;
import java.util.Objects;

/**
 * What a code generation request in a repair round carries: the round ({@code 1..maxRounds}), why the task's
 * previous code failed validation ({@code failure}: the failing checks and their messages, from
 * {@code validationStep}) and that code's patch ({@code previousPatch}, empty when it had none). Engines put it into
 * their request so the model fixes exactly that.
 */
public record RepairRound(int round, int maxRounds, String validationStep, StepError failure, String previousPatch) {
    public RepairRound {
        previousPatch = previousPatch == null ? "" : previousPatch;
        if (round < 1 || round > maxRounds) {
            throw new IllegalArgumentException("repair round " + round + " is not between 1 and " + maxRounds);
        }
        Objects.requireNonNull(validationStep, "validationStep");
        Objects.requireNonNull(failure, "failure");
    }
}
