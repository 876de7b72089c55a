package io.jenkins.plugins.voltworkflow.progress;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console lines of a workflow's events, with progress reports kept to a readable rate: a model streaming its
 * answer reports every two seconds, a command's output line by line, and a console is read by people. Of each step's
 * reports the first is printed, then at most one per {@link #INTERVAL} of event time; the last one held back is
 * printed when the step ends, so the final figures (tokens received, time elapsed) always show. Event time, not the
 * wall clock, decides, so the same events give the same lines. Not thread-safe: one follower feeds it in order.
 */
public final class ProgressThrottle {

    public static final Duration INTERVAL = Duration.ofSeconds(15);

    private final ConsoleLines lines;
    private final Map<String, Instant> printedAt = new HashMap<>();
    private final Map<String, String> heldBack = new HashMap<>();

    public ProgressThrottle(ConsoleLines lines) {
        this.lines = lines;
    }

    public List<String> linesFor(EventRecord record) {
        WorkflowEvent event = record.event();
        if (event instanceof WorkflowEvent.StepProgress progress) {
            String line = lines.progressLine(progress);
            Instant last = printedAt.get(progress.step());
            if (last != null && record.timestamp().isBefore(last.plus(INTERVAL))) {
                heldBack.put(progress.step(), line);
                return List.of();
            }
            printedAt.put(progress.step(), record.timestamp());
            heldBack.remove(progress.step());
            return List.of(line);
        }
        List<String> result = new ArrayList<>(2);
        if (endsAttempt(event)) {
            printedAt.remove(event.step());
            String held = heldBack.remove(event.step());
            if (held != null) {
                result.add(held);
            }
        }
        lines.lineFor(record).ifPresent(result::add);
        return result;
    }

    private static boolean endsAttempt(WorkflowEvent event) {
        return event instanceof WorkflowEvent.StepCompleted
                || event instanceof WorkflowEvent.StepFailed
                || event instanceof WorkflowEvent.StepRetrying
                || event instanceof WorkflowEvent.StepCancelled;
    }
}
