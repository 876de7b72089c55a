package io.voltworkflow.core.status;

import io.voltworkflow.core.model.Usage;

/**
 * How tasks fared in validation and repair. Of {@code tasksValidated} (validation finished at least once),
 * {@code tasksPassedFirstTime} passed without a repair round; {@code tasksRepaired} needed at least one, of which
 * {@code tasksPassedAfterRepair} passed in the end; {@code rounds} counts repair rounds started. {@code repairUsage} is
 * what the code generation and validation attempts of repair rounds consumed (first passes excluded), and
 * {@code tokensPerRound} / {@code costPerRoundUsd} divide it by {@code rounds}: what one more round is likely to cost.
 * Rates and averages are 0 when nothing was counted.
 */
public record RepairStats(
        long tasksValidated,
        long tasksPassedFirstTime,
        long tasksRepaired,
        long tasksPassedAfterRepair,
        long rounds,
        double firstPassRate,
        double repairSuccessRate,
        double roundsPerRepairedTask,
        Usage repairUsage,
        long tokensPerRound,
        double costPerRoundUsd) {

    public static final RepairStats NONE = of(0, 0, 0, 0, 0, Usage.NONE);

    public RepairStats {
        repairUsage = repairUsage == null ? Usage.NONE : repairUsage;
    }

    public static RepairStats of(
            long validated,
            long passedFirstTime,
            long repaired,
            long passedAfterRepair,
            long rounds,
            Usage repairUsage) {
        return new RepairStats(
                validated,
                passedFirstTime,
                repaired,
                passedAfterRepair,
                rounds,
                ratio(passedFirstTime, validated),
                ratio(passedAfterRepair, repaired),
                ratio(rounds, repaired),
                repairUsage,
                rounds == 0 ? 0 : Math.round((double) repairUsage.totalTokens() / rounds),
                rounds == 0 ? 0 : Math.round(1_000_000.0 * repairUsage.costUsd() / rounds) / 1_000_000.0);
    }

    public RepairStats plus(RepairStats other) {
        return of(
                tasksValidated + other.tasksValidated,
                tasksPassedFirstTime + other.tasksPassedFirstTime,
                tasksRepaired + other.tasksRepaired,
                tasksPassedAfterRepair + other.tasksPassedAfterRepair,
                rounds + other.rounds,
                repairUsage.plus(other.repairUsage));
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
    }
}
