package io.jenkins.plugins.voltworkflow.runtime;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Accepts the events of one task's steps (its code generation and validation), so that a Pipeline branch for a
 * task prints only its own progress. The step names are read from the plan once it has them.
 */
public final class TaskEvents implements Predicate<EventRecord> {

    private final Supplier<WorkflowStatus> status;
    private final String task;
    private volatile Set<String> steps = Set.of();

    public TaskEvents(Supplier<WorkflowStatus> status, String task) {
        this.status = status;
        this.task = task;
    }

    @Override
    public boolean test(EventRecord event) {
        String step = event.event().step();
        if (step == null) {
            return false;
        }
        if (steps.isEmpty()) {
            steps = PlanView.task(status.get(), task)
                    .map(t -> Stream.of(t.codegen(), t.validation()).flatMap(Optional::stream)
                            .map(StepStatus::name).collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
        }
        return steps.contains(step);
    }
}
