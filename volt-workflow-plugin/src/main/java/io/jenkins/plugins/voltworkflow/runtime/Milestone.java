package io.jenkins.plugins.voltworkflow.runtime;

import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Pipeline step waits for in the build's workflow: the whole workflow (voltWorkflow), the plan (voltAnalyze:
 * analysis and task creation done), or one task's code generation or validation (voltCodegen, voltValidate). The
 * workflow runs on its own; each step only waits for its milestone, so a Jenkinsfile can give each phase a stage
 * and each task a parallel branch.
 */
public final class Milestone implements Serializable {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        NOW,
        WORKFLOW,
        PLAN,
        CODEGEN,
        VALIDATION
    }

    private final Kind kind;
    private final String task;

    private Milestone(Kind kind, String task) {
        this.kind = kind;
        this.task = task;
    }

    /** Reached at once: voltWorkflowStatus reads the status as it is. */
    public static Milestone now() {
        return new Milestone(Kind.NOW, null);
    }

    public static Milestone workflow() {
        return new Milestone(Kind.WORKFLOW, null);
    }

    public static Milestone plan() {
        return new Milestone(Kind.PLAN, null);
    }

    public static Milestone codegen(String task) {
        return new Milestone(Kind.CODEGEN, requireTask(task));
    }

    public static Milestone validation(String task) {
        return new Milestone(Kind.VALIDATION, requireTask(task));
    }

    private static String requireTask(String task) {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("task is required: the id of a task voltAnalyze returned");
        }
        return task.trim();
    }

    public Kind kind() {
        return kind;
    }

    /** The task id or title for task milestones, else {@code null}. */
    public String task() {
        return task;
    }

    /** Where the milestone stands in this status. */
    public sealed interface Outcome {
        /** Not reached yet, and still reachable. */
        record Pending() implements Outcome {}

        record Reached() implements Outcome {}

        /** Can no longer be reached as things stand (a step failed, the workflow ended). */
        record Missed(String reason) implements Outcome {}
    }

    public Outcome evaluate(WorkflowStatus status) {
        boolean ended = status.state().isTerminal();
        return switch (kind) {
            case NOW -> new Outcome.Reached();
            case WORKFLOW -> ended ? new Outcome.Reached() : new Outcome.Pending();
            case PLAN -> stepOutcome(PlanView.firstOfType(status, StepType.TASK_CREATION), "task creation", ended);
            case CODEGEN, VALIDATION -> taskOutcome(status, ended);
        };
    }

    private Outcome taskOutcome(WorkflowStatus status, boolean ended) {
        Optional<PlanView.TaskSteps> steps = PlanView.task(status, task);
        if (steps.isEmpty()) {
            boolean planDone = PlanView.firstOfType(status, StepType.TASK_CREATION)
                    .map(s -> s.state() == StepState.COMPLETED)
                    .orElse(false);
            if (planDone) {
                return new Outcome.Missed("the plan has no task '" + task + "'; tasks: "
                        + PlanView.tasks(status).stream()
                                .map(PlanView.TaskSteps::id)
                                .toList());
            }
            return ended
                    ? new Outcome.Missed("the workflow " + status.state().wireName() + " before task creation")
                    : new Outcome.Pending();
        }
        Optional<StepStatus> step =
                kind == Kind.CODEGEN ? steps.get().codegen() : steps.get().validation();
        return stepOutcome(
                step, (kind == Kind.CODEGEN ? "code generation" : "validation") + " of task '" + task + "'", ended);
    }

    private static Outcome stepOutcome(Optional<StepStatus> step, String what, boolean ended) {
        if (step.isPresent()) {
            StepState state = step.get().state();
            if (state == StepState.COMPLETED) {
                return new Outcome.Reached();
            }
            if (state == StepState.FAILED || state == StepState.CANCELLED) {
                StepError failure = step.get().error();
                String error = failure == null ? "" : ": " + failure.message();
                return new Outcome.Missed(what + " " + state.wireName() + error);
            }
        }
        return ended ? new Outcome.Missed("the workflow ended before " + what + " completed") : new Outcome.Pending();
    }

    /** The label Pipeline Graph View and the console show for a step waiting for this milestone. */
    public String label() {
        return switch (kind) {
            case NOW -> "Volt: workflow status";
            case WORKFLOW -> "Volt workflow";
            case PLAN -> "Volt: analysis and task creation";
            case CODEGEN -> "Volt: code generation for " + task;
            case VALIDATION -> "Volt: validation of " + task;
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Milestone that && kind == that.kind && Objects.equals(task, that.task);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, task);
    }

    @Override
    public String toString() {
        return label();
    }
}
