package io.voltworkflow.core.status;

/**
 * How tasks fared in validation and repair. Of {@code tasksValidated} (validation finished at least once),
 * {@code tasksPassedFirstTime} passed without a repair round; {@code tasksRepaired} needed at least one, of which
 * {@code tasksPassedAfterRepair} passed in the end; {@code rounds} counts repair rounds started. Rates are 0 when
 * nothing was counted.
 */
public record RepairStats(
        long tasksValidated,
        long tasksPassedFirstTime,
        long tasksRepaired,
        long tasksPassedAfterRepair,
        long rounds,
        double firstPassRate,
        double repairSuccessRate,
        double roundsPerRepairedTask) {

    public static final RepairStats NONE = of(0, 0, 0, 0, 0);

    public static RepairStats of(
            long validated, long passedFirstTime, long repaired, long passedAfterRepair, long rounds) {
        return new RepairStats(
                validated,
                passedFirstTime,
                repaired,
                passedAfterRepair,
                rounds,
                ratio(passedFirstTime, validated),
                ratio(passedAfterRepair, repaired),
                ratio(rounds, repaired));
    }

    public RepairStats plus(RepairStats other) {
        return of(
                tasksValidated + other.tasksValidated,
                tasksPassedFirstTime + other.tasksPassedFirstTime,
                tasksRepaired + other.tasksRepaired,
                tasksPassedAfterRepair + other.tasksPassedAfterRepair,
                rounds + other.rounds);
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
    }
}
