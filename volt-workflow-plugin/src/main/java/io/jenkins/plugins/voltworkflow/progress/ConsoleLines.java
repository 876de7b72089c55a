package io.jenkins.plugins.voltworkflow.progress;

import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepError;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns workflow events into short console lines, each prefixed {@value #PREFIX}: one line when a step starts,
 * retries, finishes or fails, when a task goes into a repair round and when the workflow changes state; progress
 * reports only through {@link ProgressThrottle}, which keeps their rate readable. Text from engines
 * and models is untrusted: it is put on one line, stripped of control characters (no ANSI escapes or fake console
 * lines), shortened, and any secret of the build is masked.
 */
public final class ConsoleLines {

    public static final String PREFIX = "[volt] ";
    static final int MAX_MESSAGE_LENGTH = 300;
    private static final Pattern CONTROL = Pattern.compile("\\u001B\\[[0-9;?]*[A-Za-z]|[\\p{Cntrl}&&[^\\t]]");

    private final SecretMask mask;

    public ConsoleLines(SecretMask mask) {
        this.mask = mask;
    }

    public Optional<String> lineFor(EventRecord record) {
        WorkflowEvent event = record.event();
        String text;
        if (event instanceof WorkflowEvent.WorkflowStarted) {
            text = "workflow " + record.workflowId() + " started";
        } else if (event instanceof WorkflowEvent.WorkflowExpanded expanded) {
            text = "plan ready: " + expanded.addedSteps().size() + " steps added by " + quote(expanded.step());
        } else if (event instanceof WorkflowEvent.StepStarted started) {
            text = quote(started.step())
                    + (started.reissued() ? " re-issued after a restart" : " started")
                    + (started.attempt() > 1 ? " (attempt " + started.attempt() + ")" : "");
        } else if (event instanceof WorkflowEvent.StepRetrying retrying) {
            text = quote(retrying.step()) + " attempt " + retrying.attempt() + " failed, retrying in "
                    + seconds(retrying.delayMs()) + ": " + error(retrying.error());
        } else if (event instanceof WorkflowEvent.StepCompleted completed) {
            text = quote(completed.step()) + " completed in " + seconds(completed.durationMs());
        } else if (event instanceof WorkflowEvent.StepFailed failed) {
            text = quote(failed.step()) + " failed after " + failed.attempt() + " attempt(s): " + error(failed.error());
        } else if (event instanceof WorkflowEvent.RepairRoundStarted repair) {
            text = quote(repair.step()) + " repair round " + repair.round() + " of " + repair.maxRounds() + " after "
                    + quote(repair.validationStep()) + " failed: " + error(repair.failure());
        } else if (event instanceof WorkflowEvent.StepCancelled cancelled) {
            text = quote(cancelled.step()) + " cancelled" + reason(cancelled.reason());
        } else if (event instanceof WorkflowEvent.WorkflowPaused paused) {
            text = "workflow paused" + reason(paused.reason());
        } else if (event instanceof WorkflowEvent.WorkflowResumed resumed) {
            text = "workflow resumed" + reason(resumed.reason());
        } else if (event instanceof WorkflowEvent.WorkflowCompleted) {
            text = "workflow completed";
        } else if (event instanceof WorkflowEvent.WorkflowFailed failed) {
            text = "workflow failed" + (failed.failedStep() == null ? "" : " at " + quote(failed.failedStep())) + ": "
                    + error(failed.error());
        } else if (event instanceof WorkflowEvent.WorkflowCancelled cancelled) {
            text = "workflow cancelled" + reason(cancelled.reason());
        } else {
            return Optional.empty();
        }
        return Optional.of(PREFIX + text);
    }

    /**
     * A step's progress report (tokens a model has streamed so far, a command's latest output); how often these are
     * printed is {@link ProgressThrottle}'s business.
     */
    public String progressLine(WorkflowEvent.StepProgress progress) {
        return PREFIX + quote(progress.step()) + ": " + untrusted(progress.message());
    }

    /** The line that points readers to the build page. */
    public static String pageLine() {
        return PREFIX + "live view: ";
    }

    private String quote(String stepName) {
        return "'" + untrusted(stepName) + "'";
    }

    private String error(StepError error) {
        return error == null ? "unknown error" : error.code() + " " + untrusted(error.message());
    }

    private String reason(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + untrusted(reason);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    /** Makes engine or model text safe to print on one console line. */
    public String untrusted(String text) {
        if (text == null) {
            return "";
        }
        String single = CONTROL.matcher(mask.mask(text).replace('\n', ' ').replace('\r', ' '))
                .replaceAll("");
        return single.length() <= MAX_MESSAGE_LENGTH ? single : single.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
}
