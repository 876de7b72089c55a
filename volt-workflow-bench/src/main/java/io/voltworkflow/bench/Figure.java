package io.voltworkflow.bench;

import java.util.Objects;

/**
 * One published figure: what Volt achieved next to the baseline measured in the same run. {@code ratio} is always
 * ours / baseline; {@code target} says in words what is aimed at and {@code verdict} whether this run met it.
 */
public record Figure(
        String scenario,
        int scale,
        String metric,
        String unit,
        double baseline,
        double ours,
        String target,
        Verdict verdict,
        String note) {

    public enum Verdict {
        MET,
        MISSED,
        /** Reported for context; no target applies. */
        NONE
    }

    public Figure {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        target = target == null ? "" : target;
        note = note == null ? "" : note;
        Objects.requireNonNull(verdict, "verdict");
    }

    public double ratio() {
        return baseline == 0 ? Double.NaN : ours / baseline;
    }

    public static Verdict verdict(boolean met) {
        return met ? Verdict.MET : Verdict.MISSED;
    }
}
