package io.jenkins.plugins.voltworkflow.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The workflow outcomes of a job's recent builds and what they add up to: the spec's analytics, per job. Only
 * finished workflows count towards rates and durations.
 */
public final class JobHistory {

    /** One build's workflow. */
    public record Entry(int buildNumber, String buildUrl, String workflowName, WorkflowSummary summary) {}

    /**
     * One bar of the duration trend, in the chart's {@value #TREND_WIDTH} x {@value #TREND_HEIGHT} coordinates: the
     * page draws it as SVG, so the chart needs no script and no inline style (Content-Security-Policy).
     */
    public record Bar(int x, int y, int width, int height, String fill, String label) {}

    public static final int TREND_WIDTH = 600;
    public static final int TREND_HEIGHT = 120;
    private static final int BAR_GAP = 4;
    private static final int MAX_BAR_WIDTH = 40;

    private final List<Entry> entries;

    public JobHistory(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> getEntries() {
        return entries;
    }

    public int getFinished() {
        return (int) finished().count();
    }

    /** Share of finished workflows that completed, 0..1; 0 when none finished. */
    public double getSuccessRate() {
        long finished = finished().count();
        return finished == 0
                ? 0
                : (double) finished()
                                .filter(e -> e.summary().getState().equals("completed"))
                                .count()
                        / finished;
    }

    public int getSuccessPercent() {
        return (int) Math.round(getSuccessRate() * 100);
    }

    public long getAverageDurationMs() {
        return Math.round(
                finished().mapToLong(e -> e.summary().getDurationMs()).average().orElse(0));
    }

    public long getMedianDurationMs() {
        List<Long> durations =
                new ArrayList<>(finished().map(e -> e.summary().getDurationMs()).toList());
        if (durations.isEmpty()) {
            return 0;
        }
        durations.sort(null);
        int middle = durations.size() / 2;
        return durations.size() % 2 == 1
                ? durations.get(middle)
                : (durations.get(middle - 1) + durations.get(middle)) / 2;
    }

    public double getAverageTasks() {
        return finished().mapToInt(e -> e.summary().getTasks()).average().orElse(0);
    }

    public int getRetries() {
        return entries.stream().mapToInt(e -> e.summary().getRetries()).sum();
    }

    public double getTotalCostUsd() {
        return entries.stream().mapToDouble(e -> e.summary().getCostUsd()).sum();
    }

    /**
     * The durations of the finished workflows, oldest on the left, coloured by outcome; the tallest bar is the
     * longest workflow. Empty when none finished.
     */
    public List<Bar> getTrend() {
        List<Entry> finished = new ArrayList<>(finished().toList());
        Collections.reverse(finished); // entries run newest first
        long longest = finished.stream()
                .mapToLong(e -> e.summary().getDurationMs())
                .max()
                .orElse(0);
        List<Bar> bars = new ArrayList<>();
        if (finished.isEmpty()) {
            return bars;
        }
        int width =
                Math.min(MAX_BAR_WIDTH, Math.max(1, (TREND_WIDTH - BAR_GAP * (finished.size() - 1)) / finished.size()));
        for (int i = 0; i < finished.size(); i++) {
            Entry entry = finished.get(i);
            long duration = entry.summary().getDurationMs();
            // A bar at least 2 units high stays visible for a workflow that took no measurable time.
            int height = longest == 0 ? 2 : Math.max(2, (int) Math.round((double) duration / longest * TREND_HEIGHT));
            bars.add(new Bar(
                    i * (width + BAR_GAP),
                    TREND_HEIGHT - height,
                    width,
                    height,
                    fillFor(entry.summary().getState()),
                    String.format(
                            Locale.ROOT,
                            "#%d %s: %s in %d s",
                            entry.buildNumber(),
                            entry.workflowName(),
                            entry.summary().getState(),
                            duration / 1000)));
        }
        return bars;
    }

    private static String fillFor(String state) {
        return switch (state) {
            case "completed" -> "#1ea64b";
            case "failed" -> "#e6001f";
            default -> "#9ba7af"; // cancelled
        };
    }

    /** One sentence over the finished workflows, e.g. "2 finished workflows: 50% completed. ...". */
    public String getDescription() {
        int finished = getFinished();
        if (finished == 0) {
            return "No workflow has finished yet.";
        }
        // Offline and self-hosted engines cost nothing: no "US$ 0.00 spent" then.
        String cost = getTotalCostUsd() > 0 ? String.format(Locale.ROOT, ", US$ %.2f spent", getTotalCostUsd()) : "";
        return String.format(
                Locale.ROOT,
                "%d finished workflow%s: %d%% completed. Average duration %d s (median %d s)," + " %d retr%s%s.",
                finished,
                finished == 1 ? "" : "s",
                getSuccessPercent(),
                getAverageDurationMs() / 1000,
                getMedianDurationMs() / 1000,
                getRetries(),
                getRetries() == 1 ? "y" : "ies",
                cost);
    }

    private Stream<Entry> finished() {
        return entries.stream().filter(e -> e.summary().isFinished());
    }
}
