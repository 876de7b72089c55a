package io.jenkins.plugins.voltworkflow.runtime;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Splits a workflow's events between the Pipeline steps that print them: those of one task's code generation (for
 * voltCodegen), of its validation (for voltValidate), or all the others (the workflow's
 * own events and its phases outside the tasks), for a step waiting for the whole workflow. Each event has one
 * printer, so a branch running voltCodegen then voltValidate shows every line once. The step names are read from the
 * plan once it has them.
 */
public final class TaskEvents implements Predicate<EventRecord> {

    private final Supplier<WorkflowStatus> status;
    /** {@code null}: every event outside the tasks. */
    private final String task;

    private final Function<PlanView.TaskSteps, Stream<Optional<StepStatus>>> picked;
    private volatile Set<String> steps = Set.of();

    private TaskEvents(
            Supplier<WorkflowStatus> status,
            String task,
            Function<PlanView.TaskSteps, Stream<Optional<StepStatus>>> picked) {
        this.status = status;
        this.task = task;
        this.picked = picked;
    }

    /** The events of one task's code generation. */
    public static TaskEvents codegenOf(Supplier<WorkflowStatus> status, String task) {
        return new TaskEvents(status, task, t -> Stream.of(t.codegen()));
    }

    /** The events of one task's validation. */
    public static TaskEvents validationOf(Supplier<WorkflowStatus> status, String task) {
        return new TaskEvents(status, task, t -> Stream.of(t.validation()));
    }

    /** Every event that belongs to no task: the workflow's state and the steps outside the tasks. */
    public static TaskEvents outsideTasks(Supplier<WorkflowStatus> status) {
        return new TaskEvents(status, null, t -> Stream.of(t.codegen(), t.validation()));
    }

    @Override
    public boolean test(EventRecord event) {
        String step = event.event().step();
        if (step == null) {
            return task == null;
        }
        if (steps.isEmpty()) {
            WorkflowStatus now = status.get();
            List<PlanView.TaskSteps> tasks = task == null
                    ? PlanView.tasks(now)
                    : PlanView.task(now, task).stream().toList();
            steps = tasks.stream()
                    .flatMap(picked)
                    .flatMap(Optional::stream)
                    .map(StepStatus::name)
                    .collect(Collectors.toUnmodifiableSet());
        }
        return task == null != steps.contains(step);
    }
}
