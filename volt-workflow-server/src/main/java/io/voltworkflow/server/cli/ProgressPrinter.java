package io.voltworkflow.server.cli;

import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Shows a running workflow. On a terminal: one line per finished step above a live progress bar that is redrawn in
 * place, naming the running steps and the latest progress of one (tokens streamed so far). Otherwise (a pipe, a CI
 * log): plain lines only, one per step start, progress report, finish, retry, failure or repair round.
 */
final class ProgressPrinter implements EventListener {
    private static final int BAR_WIDTH = 30;
    private static final String CLEAR_LINE = "\r\u001b[2K";

    private final PrintStream out;
    private final boolean live;
    private final Set<String> running = new LinkedHashSet<>();
    /** The latest progress line of each running step. */
    private final Map<String, String> progress = new HashMap<>();
    /** "repair round N of M" of the steps in one. */
    private final Map<String, String> rounds = new HashMap<>();

    private int completed;
    private int total;
    private boolean barShown;
    private long lastSequence;

    ProgressPrinter(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public synchronized void onEvent(EventRecord record) {
        WorkflowEvent event = record.event();
        lastSequence = record.sequence();
        notifyAll();
        String line = describe(event);
        if (live) {
            if (barShown) {
                out.print(CLEAR_LINE);
            }
            if (line != null) {
                out.println(line);
            }
            out.print(bar());
            barShown = true;
        } else if (line != null) {
            out.println(line);
        }
        out.flush();
    }

    private @Nullable String describe(WorkflowEvent event) {
        if (event instanceof WorkflowEvent.StepStarted started) {
            running.add(started.step());
            progress.remove(started.step());
            String round = rounds.get(started.step());
            String detail = started.attempt() > 1 ? "attempt " + started.attempt() : null;
            if (round != null) {
                detail = detail == null ? round : round + ", " + detail;
            }
            return live
                    ? null
                    : "started   " + Terminal.safe(started.step()) + (detail == null ? "" : " (" + detail + ")");
        }
        if (event instanceof WorkflowEvent.StepProgress reported) {
            progress.put(reported.step(), Terminal.safe(reported.message()));
            return live
                    ? null
                    : "progress  " + Terminal.safe(reported.step()) + ": " + Terminal.safe(reported.message());
        }
        if (event instanceof WorkflowEvent.RepairRoundStarted repair) {
            String round = "repair round " + repair.round() + " of " + repair.maxRounds();
            rounds.put(repair.step(), round);
            rounds.put(repair.validationStep(), round);
            String failure = repair.failure().message();
            int lineEnd = failure.indexOf('\n');
            return (live ? "⟲ " : "repairing ") + Terminal.safe(repair.step()) + ": " + round + " after "
                    + Terminal.safe(lineEnd < 0 ? failure : failure.substring(0, lineEnd));
        }
        if (event instanceof WorkflowEvent.StepCompleted done) {
            running.remove(done.step());
            progress.remove(done.step());
            return (live ? "✓ " : "completed ") + Terminal.safe(done.step()) + " ("
                    + Terminal.duration(done.durationMs()) + ")";
        }
        if (event instanceof WorkflowEvent.StepRetrying retrying) {
            running.remove(retrying.step());
            return (live ? "↻ " : "retrying  ") + Terminal.safe(retrying.step()) + ": "
                    + Terminal.safe(retrying.error().message()) + " (next attempt in "
                    + Terminal.duration(retrying.delayMs()) + ")";
        }
        if (event instanceof WorkflowEvent.StepFailed failed) {
            running.remove(failed.step());
            return (live ? "✗ " : "failed    ") + Terminal.safe(failed.step()) + ": "
                    + failed.error().code() + " " + Terminal.safe(failed.error().message());
        }
        if (event instanceof WorkflowEvent.StepCancelled cancelled) {
            running.remove(cancelled.step());
            return (live ? "■ " : "cancelled ") + Terminal.safe(cancelled.step());
        }
        if (event instanceof WorkflowEvent.WorkflowProgress progress) {
            completed = progress.completedSteps();
            total = progress.totalSteps();
            return null;
        }
        if (event instanceof WorkflowEvent.WorkflowExpanded expanded) {
            return "planned   " + Terminal.count(expanded.addedSteps().size(), "more step");
        }
        if (event instanceof WorkflowEvent.WorkflowPaused paused) {
            return "paused    " + Terminal.safe(paused.reason());
        }
        if (event instanceof WorkflowEvent.WorkflowResumed resumed) {
            return "resumed   " + Terminal.safe(resumed.reason());
        }
        return null;
    }

    /**
     * Waits until the event with {@code sequence} was shown, so the summary never overtakes the progress lines; gives
     * up after {@code patience} (events may be switched off with EVENT_SYSTEM_ENABLED=false).
     */
    synchronized void awaitShown(long sequence, java.time.Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (lastSequence < sequence) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Removes the bar before the summary is printed. */
    synchronized void finish() {
        if (live && barShown) {
            out.print(CLEAR_LINE);
            out.flush();
            barShown = false;
        }
    }

    private String bar() {
        double fraction = total == 0 ? 0 : (double) completed / total;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String names = String.join(", ", running.stream().map(Terminal::safe).toList());
        String latest = running.stream()
                .map(progress::get)
                .filter(java.util.Objects::nonNull)
                .reduce((a, b) -> b)
                .orElse(null);
        if (latest != null) {
            names += " — " + latest;
        }
        String text = "[" + "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3.0f%%", fraction * 100) + "  " + completed + "/" + total + " steps"
                + (names.isEmpty() ? "" : "  running: " + names);
        return text.length() > 140 ? text.substring(0, 139) + "…" : text;
    }
}
