package io.voltworkflow.core.engine;

import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.Usage;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to deliver: the requirement, every task in plan order with its generated code and its validation, and what
 * the workflow has consumed so far.
 */
public record DeliveryRequest(String requirementText, List<DeliveredTask> tasks, Usage usage) {
    public DeliveryRequest {
        requirementText = requirementText == null ? "" : requirementText;
        tasks = List.copyOf(tasks);
        usage = usage == null ? Usage.NONE : usage;
    }

    /** True when every task has generated code that passed its validation. */
    public boolean allValidated() {
        return !tasks.isEmpty() && tasks.stream().allMatch(DeliveredTask::validated);
    }

    /** The tasks whose validation failed with no repair round left, in plan order. */
    public List<DeliveredTask> failedTasks() {
        return tasks.stream().filter(t -> t.failure() != null).toList();
    }

    /**
     * One task: {@code code} is null when no code was generated, {@code validation} when it was not validated.
     * {@code repairRound} counts the code generations after a failed validation (0 for the first). {@code failure}
     * is why the task's validation failed for good (its findings, one per line), null unless it did; then
     * {@code code} is the last code generated, the one that failed.
     */
    public record DeliveredTask(
            TaskSpec task,
            @Nullable CodegenResult code,
            @Nullable ValidationResult validation,
            int repairRound,
            @Nullable String failure) {
        public DeliveredTask {
            Objects.requireNonNull(task, "task");
            if (repairRound < 0) {
                throw new IllegalArgumentException("repairRound must not be negative, was " + repairRound);
            }
            if (failure != null && validation != null && validation.passed()) {
                throw new IllegalArgumentException("task " + task.id() + " cannot both pass and fail validation");
            }
        }

        /** A task that did not fail validation for good: validated, not validated, or without code. */
        public DeliveredTask(TaskSpec task, CodegenResult code, ValidationResult validation, int repairRound) {
            this(task, code, validation, repairRound, null);
        }

        public boolean validated() {
            return code != null && validation != null && validation.passed();
        }
    }
}
