package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.TaskSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a task plan from an engine before the orchestrator expands it into steps: ids present and unique, titles
 * present, dependencies on known tasks only, no cycle, at most {@link TaskPlan#MAX_TASKS} tasks.
 */
public final class TaskPlans {
    private TaskPlans() {}

    /** {@code plan} if usable; otherwise an {@code INVALID_TASK_PLAN} error naming the first problem. */
    public static TaskPlan requireValid(TaskPlan plan, String engine, boolean retryable) {
        Optional<String> problem = problem(plan.tasks());
        if (problem.isEmpty()) {
            return plan;
        }
        String message = engine + " produced an unusable task plan: " + problem.get();
        throw new EngineException(
                retryable
                        ? StepError.retryable(StepError.INVALID_TASK_PLAN, message)
                        : StepError.recoverable(StepError.INVALID_TASK_PLAN, message));
    }

    private static Optional<String> problem(List<TaskSpec> tasks) {
        if (tasks.isEmpty()) {
            return Optional.of("it has no tasks");
        }
        if (tasks.size() > TaskPlan.MAX_TASKS) {
            return Optional.of("it has " + tasks.size() + " tasks; at most " + TaskPlan.MAX_TASKS + " are allowed");
        }
        Map<String, TaskSpec> byId = new HashMap<>();
        for (TaskSpec task : tasks) {
            if (task.id().isBlank() || task.title().isBlank()) {
                return Optional.of("task '" + task.id() + "' has a blank id or title");
            }
            if (byId.put(task.id(), task) != null) {
                return Optional.of("task id '" + task.id() + "' is used twice");
            }
        }
        for (TaskSpec task : tasks) {
            for (String dependency : task.dependsOn()) {
                if (!byId.containsKey(dependency)) {
                    return Optional.of("task '" + task.id() + "' depends on unknown task '" + dependency + "'");
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (TaskSpec task : tasks) {
            Optional<String> cycle = cycleFrom(task, byId, new HashSet<>(), done);
            if (cycle.isPresent()) {
                return Optional.of("tasks depend on each other in a cycle through '" + cycle.get() + "'");
            }
        }
        return Optional.empty();
    }

    /** The id of a task on a cycle reachable from {@code task}; every dependency is known to be in {@code byId}. */
    private static Optional<String> cycleFrom(
            TaskSpec task, Map<String, TaskSpec> byId, Set<String> onPath, Set<String> done) {
        if (done.contains(task.id())) {
            return Optional.empty();
        }
        if (!onPath.add(task.id())) {
            return Optional.of(task.id());
        }
        for (String dependency : task.dependsOn()) {
            Optional<String> cycle = cycleFrom(
                    Objects.requireNonNull(byId.get(dependency), "dependencies are checked first"), byId, onPath, done);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        onPath.remove(task.id());
        done.add(task.id());
        return Optional.empty();
    }
}
