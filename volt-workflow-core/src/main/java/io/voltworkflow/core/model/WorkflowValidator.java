package io.voltworkflow.core.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Checks a definition completely and lists every problem; documented limits live here. */
public final class WorkflowValidator {
    public static final int MAX_REQUIREMENT_LENGTH = 100_000;
    public static final int MAX_CONTEXT_BYTES = 64 * 1024;
    public static final int MAX_STEPS = 10_000;

    private WorkflowValidator() {}

    public static List<WorkflowProblem> problems(WorkflowDefinition definition) {
        List<WorkflowProblem> problems = new ArrayList<>();
        checkRequirement(definition.requirementText(), problems);
        if (!definition.projectContext().isObject()) {
            problems.add(
                    new WorkflowProblem(WorkflowProblem.INVALID_INPUT, null, "projectContext must be a JSON object"));
        } else if (!definition.projectContext().isEmpty()
                && definition.projectContext().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        > MAX_CONTEXT_BYTES) {
            problems.add(new WorkflowProblem(
                    WorkflowProblem.CONTEXT_TOO_LARGE,
                    null,
                    "projectContext is larger than " + MAX_CONTEXT_BYTES + " bytes of UTF-8 JSON"));
        }
        problems.addAll(graphProblems(definition.steps(), Set.of()));
        return problems;
    }

    public static void validate(WorkflowDefinition definition) {
        List<WorkflowProblem> problems = problems(definition);
        if (!problems.isEmpty()) {
            throw new InvalidWorkflowException(problems);
        }
    }

    public static void checkRequirement(String requirement, List<WorkflowProblem> problems) {
        if (requirement == null || requirement.isBlank()) {
            problems.add(new WorkflowProblem(WorkflowProblem.EMPTY_REQUIREMENT, null, "requirement text is empty"));
        } else if (requirement.length() > MAX_REQUIREMENT_LENGTH) {
            problems.add(new WorkflowProblem(
                    WorkflowProblem.REQUIREMENT_TOO_LONG,
                    null,
                    "requirement text has " + requirement.length() + " characters; the limit is "
                            + MAX_REQUIREMENT_LENGTH));
        }
    }

    /**
     * Problems of a step graph. {@code existing} names steps already in the workflow that new steps may depend on
     * (used when a running workflow grows).
     */
    public static List<WorkflowProblem> graphProblems(List<StepDefinition> steps, Set<String> existing) {
        List<WorkflowProblem> problems = new ArrayList<>();
        if (steps.isEmpty() && existing.isEmpty()) {
            problems.add(new WorkflowProblem(WorkflowProblem.NO_STEPS, null, "a workflow needs at least one step"));
            return problems;
        }
        if (steps.size() + existing.size() > MAX_STEPS) {
            problems.add(new WorkflowProblem(
                    WorkflowProblem.TOO_MANY_STEPS,
                    null,
                    "the workflow has " + (steps.size() + existing.size()) + " steps; the limit is " + MAX_STEPS));
            return problems;
        }
        Map<String, StepDefinition> byName = new HashMap<>();
        for (StepDefinition step : steps) {
            String name = step.name();
            if (name.isBlank() || name.length() > StepDefinition.MAX_NAME_LENGTH || hasControlCharacter(name)) {
                problems.add(new WorkflowProblem(
                        WorkflowProblem.INVALID_STEP_NAME,
                        name,
                        "a step name must be 1-" + StepDefinition.MAX_NAME_LENGTH + " printable characters"));
            }
            if (existing.contains(name) || byName.putIfAbsent(name, step) != null) {
                problems.add(new WorkflowProblem(WorkflowProblem.DUPLICATE_STEP, name, "the step name is used twice"));
            }
            if (!step.input().isObject()) {
                problems.add(
                        new WorkflowProblem(WorkflowProblem.INVALID_INPUT, name, "step input must be a JSON object"));
            }
        }
        for (StepDefinition step : steps) {
            // One dependency cannot repeat: most steps need no set.
            Set<String> seen = step.dependencies().size() > 1 ? new HashSet<>() : null;
            for (String dependency : step.dependencies()) {
                if (seen != null && !seen.add(dependency)) {
                    problems.add(new WorkflowProblem(
                            WorkflowProblem.DUPLICATE_DEPENDENCY,
                            step.name(),
                            "depends on '" + dependency + "' twice"));
                } else if (dependency.equals(step.name())) {
                    problems.add(new WorkflowProblem(WorkflowProblem.CYCLE, step.name(), "the step depends on itself"));
                } else if (!byName.containsKey(dependency) && !existing.contains(dependency)) {
                    problems.add(new WorkflowProblem(
                            WorkflowProblem.UNKNOWN_DEPENDENCY,
                            step.name(),
                            "depends on unknown step '" + dependency + "'"));
                }
            }
        }
        if (problems.isEmpty()) {
            List<String> cycle = findCycle(steps, byName);
            if (!cycle.isEmpty()) {
                problems.add(new WorkflowProblem(
                        WorkflowProblem.CYCLE,
                        cycle.get(0),
                        "dependency cycle (each step depends on the next): " + String.join(" -> ", cycle)));
            }
        }
        return problems;
    }

    private static boolean hasControlCharacter(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Iterative DFS (deep graphs must not overflow the stack); returns the cycle closed on its first step. */
    private static List<String> findCycle(List<StepDefinition> steps, Map<String, StepDefinition> byName) {
        Map<String, Integer> color = new HashMap<>(); // absent = unvisited, 1 = on stack, 2 = done
        // Both are empty again whenever a root's search ends without a cycle.
        Deque<String> path = new ArrayDeque<>();
        Deque<Integer> nextChild = new ArrayDeque<>();
        for (StepDefinition root : steps) {
            if (color.containsKey(root.name())) {
                continue;
            }
            path.push(root.name());
            nextChild.push(0);
            color.put(root.name(), 1);
            while (!path.isEmpty()) {
                String current = path.peek();
                int index = nextChild.pop();
                List<String> deps =
                        Objects.requireNonNull(byName.get(current), current).dependencies();
                if (index >= deps.size()) {
                    color.put(current, 2);
                    path.pop();
                    continue;
                }
                nextChild.push(index + 1);
                String dep = deps.get(index);
                if (!byName.containsKey(dep)) {
                    continue;
                }
                Integer c = color.get(dep);
                if (c == null) {
                    color.put(dep, 1);
                    path.push(dep);
                    nextChild.push(0);
                } else if (c == 1) {
                    List<String> cycle = new ArrayList<>();
                    cycle.add(dep);
                    for (String onPath : path) {
                        cycle.add(onPath);
                        if (onPath.equals(dep)) {
                            break;
                        }
                    }
                    // Reversed, each step in the list depends on the next one.
                    Collections.reverse(cycle);
                    return cycle;
                }
            }
        }
        return List.of();
    }
}
