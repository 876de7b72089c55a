package io.jenkins.plugins.voltworkflow.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The workflow outcomes of a job's recent builds and what they add up to: the spec's analytics, per job. Only
 * finished workflows count towards rates and durations.
 */
public final class JobHistory {

    /** One build's workflow. */
    public record Entry(int buildNumber, String buildUrl, String workflowName, WorkflowSummary summary) {
    }

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
        return finished == 0 ? 0 : (double) finished().filter(e -> e.summary().getState().equals("completed")).count() / finished;
    }

    public int getSuccessPercent() {
        return (int) Math.round(getSuccessRate() * 100);
    }

    public long getAverageDurationMs() {
        return Math.round(finished().mapToLong(e -> e.summary().getDurationMs()).average().orElse(0));
    }

    public long getMedianDurationMs() {
        List<Long> durations = new ArrayList<>(finished().map(e -> e.summary().getDurationMs()).toList());
        if (durations.isEmpty()) {
            return 0;
        }
        durations.sort(null);
        int middle = durations.size() / 2;
        return durations.size() % 2 == 1 ? durations.get(middle) : (durations.get(middle - 1) + durations.get(middle)) / 2;
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

    /** One sentence over the finished workflows, e.g. "2 finished workflows: 50% completed. ...". */
    public String getDescription() {
        int finished = getFinished();
        if (finished == 0) {
            return "No workflow has finished yet.";
        }
        return String.format(Locale.ROOT, "%d finished workflow%s: %d%% completed. Average duration %d s (median %d s),"
                + " %d retr%s, US$ %.2f spent.", finished, finished == 1 ? "" : "s", getSuccessPercent(),
                getAverageDurationMs() / 1000, getMedianDurationMs() / 1000, getRetries(), getRetries() == 1 ? "y" : "ies",
                getTotalCostUsd());
    }

    private Stream<Entry> finished() {
        return entries.stream().filter(e -> e.summary().isFinished());
    }
}
