package io.jenkins.plugins.voltworkflow.step;

import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/**
 * What every Volt step needs from its context: the build and its log. A workspace and launcher are used when the
 * step runs inside {@code node {}}, never required, so the AI phases run without holding an executor.
 */
abstract class VoltStepDescriptor extends StepDescriptor {

    private static final int MAX_LABEL_LENGTH = 60;

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, TaskListener.class);
    }

    /** The short text Pipeline Graph View and Blue Ocean show next to the step: the task, or the requirement. */
    @Override
    public String argumentsToString(Map<String, Object> namedArgs) {
        Object shown = namedArgs.containsKey("task") ? namedArgs.get("task") : namedArgs.get("requirement");
        if (shown == null) {
            return null;
        }
        String text = shown.toString().replaceAll("\\s+", " ").trim();
        return text.length() <= MAX_LABEL_LENGTH ? text : text.substring(0, MAX_LABEL_LENGTH - 1) + "…";
    }
}
