package io.voltworkflow.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints figures as the Markdown table docs/performance.md uses. */
public final class Report {
    private Report() {}

    public static void print(PrintStream out, Machine machine, String command, List<Figure> figures) {
        out.println("Machine: " + machine.describe());
        out.println("Command: " + command);
        out.println();
        out.println("| scenario | scale | metric | unit | baseline | ours | ratio | target | verdict | note |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        printRows(out, figures);
    }

    /** The table rows alone, printed as each scenario finishes so a later failure loses nothing. */
    public static void printRows(PrintStream out, List<Figure> figures) {
        for (Figure f : figures) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    f.scenario(),
                    f.scale(),
                    f.metric(),
                    f.unit(),
                    number(f.baseline()),
                    number(f.ours()),
                    number(f.ratio()),
                    f.target(),
                    f.verdict().name().toLowerCase(Locale.ROOT),
                    f.note());
        }
    }

    /** Three significant digits, no scientific notation for the magnitudes we report. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
