package io.jenkins.plugins.voltworkflow.step;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.progress.ConsoleLines;
import io.jenkins.plugins.voltworkflow.progress.ProgressThrottle;
import io.jenkins.plugins.voltworkflow.runtime.BuildWorkflow;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Prints a workflow's progress to a build's console: a link to the live page, then a line per event (progress
 * reports throttled). Events
 * arrive asynchronously; {@link #finishAt(long)} tells when what is still in flight is printed, so that the step
 * ends after its last lines (its completion, a cancellation), not before.
 */
final class ConsoleFollower {

    private static final int PAGE = 500;

    private final VoltWorkflowAction action;
    private final BuildWorkflow workflow;
    private final PrintStream logger;
    private final Predicate<EventRecord> relevant;
    private final boolean remember;
    private final ProgressThrottle lines;
    private long lastHandled;
    private boolean finished;
    private Subscription subscription;
    private CompletableFuture<Void> caughtUp;
    private long target;

    private ConsoleFollower(
            VoltWorkflowAction action,
            BuildWorkflow workflow,
            TaskListener listener,
            long afterSequence,
            Predicate<EventRecord> relevant,
            boolean remember) {
        this.action = action;
        this.workflow = workflow;
        this.logger = listener.getLogger();
        this.relevant = relevant;
        this.remember = remember;
        this.lines = new ProgressThrottle(new ConsoleLines(action.secretMask()));
        this.lastHandled = afterSequence;
    }

    static void printPageLink(Run<?, ?> run, VoltWorkflowAction action, TaskListener listener) throws IOException {
        PrintStream logger = listener.getLogger();
        logger.print(ConsoleLines.PREFIX);
        listener.hyperlink("/" + run.getUrl() + action.getUrlName() + "/", "live workflow view");
        logger.println();
    }

    /**
     * Follows every event after {@code afterSequence} that {@code relevant} accepts; when {@code remember} is set,
     * records what was printed on the action, so that the step printing the whole workflow does not repeat lines
     * after a restart.
     */
    static ConsoleFollower follow(
            VoltWorkflowAction action,
            BuildWorkflow workflow,
            TaskListener listener,
            long afterSequence,
            Predicate<EventRecord> relevant,
            boolean remember) {
        ConsoleFollower follower = new ConsoleFollower(action, workflow, listener, afterSequence, relevant, remember);
        Subscription live = workflow.follow(afterSequence, follower::handle);
        synchronized (follower) {
            follower.subscription = live;
            if (follower.finished) {
                live.close();
            }
        }
        return follower;
    }

    private synchronized void handle(EventRecord event) {
        if (finished || event.sequence() <= lastHandled) {
            return;
        }
        lastHandled = event.sequence();
        if (relevant.test(event)) {
            lines.linesFor(event).forEach(logger::println);
        }
        if (remember) {
            action.consolePrinted(event.sequence());
        }
        if (caughtUp != null && lastHandled >= target) {
            caughtUp.complete(null);
        }
    }

    /**
     * Completes once every event up to {@code lastSequence} is printed: those already stored are read back at once,
     * the rest arrive through the subscription. Stops following then.
     */
    CompletableFuture<Void> finishAt(long lastSequence) {
        CompletableFuture<Void> printed;
        synchronized (this) {
            readStored(lastSequence);
            if (lastHandled >= lastSequence || finished) {
                stop();
                return CompletableFuture.completedFuture(null);
            }
            printed = new CompletableFuture<>();
            caughtUp = printed;
            target = lastSequence;
        }
        return printed.whenComplete((ignored, error) -> stop());
    }

    private void readStored(long lastSequence) {
        while (lastHandled < lastSequence) {
            List<EventRecord> page = workflow.events(lastHandled, PAGE);
            page.stream().filter(event -> event.sequence() <= lastSequence).forEach(this::handle);
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    synchronized void stop() {
        if (caughtUp != null) {
            caughtUp.complete(null);
        }
        finished = true;
        if (subscription != null) {
            subscription.close();
        }
    }
}
