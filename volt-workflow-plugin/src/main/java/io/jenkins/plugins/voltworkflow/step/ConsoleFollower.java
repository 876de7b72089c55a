package io.jenkins.plugins.voltworkflow.step;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.progress.ConsoleLines;
import io.jenkins.plugins.voltworkflow.runtime.BuildWorkflow;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import java.io.IOException;
import java.io.PrintStream;
import java.util.function.Predicate;

/** Prints a workflow's progress to a build's console: a link to the live page, then one line per event. */
final class ConsoleFollower {

    private ConsoleFollower() {
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
    static Subscription follow(VoltWorkflowAction action, BuildWorkflow workflow, TaskListener listener,
            long afterSequence, Predicate<EventRecord> relevant, boolean remember) {
        ConsoleLines lines = new ConsoleLines(action.secretMask());
        PrintStream logger = listener.getLogger();
        return workflow.follow(afterSequence, event -> {
            if (relevant.test(event)) {
                lines.lineFor(event).ifPresent(logger::println);
            }
            if (remember) {
                action.consolePrinted(event.sequence());
            }
        });
    }
}
