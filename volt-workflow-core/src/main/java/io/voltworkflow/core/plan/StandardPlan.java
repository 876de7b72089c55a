package io.voltworkflow.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowProblem;
import io.voltworkflow.core.model.WorkflowValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The standard plan: analysis, task creation, then per task code generation and validation, then completion. The
 * per-task steps are added when task creation produces the tasks ({@link #expand}); a task's code generation
 * waits for the validation of every task it depends on.
 */
public final class StandardPlan {
    public static final String ANALYSIS = "Requirement Analysis";
    public static final String TASK_CREATION = "Create Atomic Tasks";
    public static final String COMPLETION = "Workflow Completion";
    /** Input field of per-task steps holding the task. */
    public static final String TASK_FIELD = "task";
    /** Input field of a validation step naming the code generation step it checks. */
    public static final String CODEGEN_STEP_FIELD = "codegenStep";
    /** Input field of per-task steps naming the task creation step that made them. */
    public static final String SOURCE_FIELD = "createdBy";

    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private StandardPlan() {}

    public static WorkflowDefinition definition(
            String requirementText, JsonNode projectContext, WorkflowOptions options) {
        List<StepDefinition> steps = List.of(
                StepDefinition.of(ANALYSIS, StepType.ANALYSIS),
                StepDefinition.of(TASK_CREATION, StepType.TASK_CREATION, ANALYSIS),
                StepDefinition.of(COMPLETION, StepType.COMPLETION, TASK_CREATION));
        return new WorkflowDefinition(requirementText, projectContext, steps, options);
    }

    public static String codegenStepName(TaskSpec task) {
        return "Generate Code for Task " + task.id();
    }

    public static String validationStepName(TaskSpec task) {
        return "Validate Task " + task.id();
    }

    /** The steps a task plan adds, and the dependencies it adds to existing steps. */
    public record Expansion(List<StepDefinition> addedSteps, Map<String, List<String>> addedDependencies) {}

    /**
     * Expands a workflow after {@code taskCreationStep} produced {@code plan}. Every completion step that depends on
     * the task creation step gains a dependency on each validation step.
     *
     * @param existingSteps every step of the workflow so far
     * @throws InvalidTaskPlanException naming what is wrong with the plan
     */
    public static Expansion expand(String taskCreationStep, TaskPlan plan, List<StepDefinition> existingSteps) {
        List<String> problems = planProblems(plan);
        if (!problems.isEmpty()) {
            throw new InvalidTaskPlanException(String.join("; ", problems));
        }
        List<StepDefinition> added = new ArrayList<>();
        List<String> validations = new ArrayList<>();
        Map<String, TaskSpec> byId = new HashMap<>();
        plan.tasks().forEach(t -> byId.put(t.id(), t));
        for (TaskSpec task : plan.tasks()) {
            List<String> codegenDeps = new ArrayList<>();
            codegenDeps.add(taskCreationStep);
            task.dependsOn()
                    .forEach(dep -> codegenDeps.add(validationStepName(Objects.requireNonNull(byId.get(dep), dep))));
            ObjectNode taskInput = WorkflowJson.mapper().createObjectNode();
            taskInput.set(TASK_FIELD, WorkflowJson.toTree(task));
            taskInput.put(SOURCE_FIELD, taskCreationStep);
            added.add(new StepDefinition(codegenStepName(task), StepType.CODEGEN, codegenDeps, taskInput, null, null));
            ObjectNode validationInput = taskInput.deepCopy();
            validationInput.put(CODEGEN_STEP_FIELD, codegenStepName(task));
            added.add(new StepDefinition(
                    validationStepName(task),
                    StepType.VALIDATION,
                    List.of(codegenStepName(task)),
                    validationInput,
                    null,
                    null));
            validations.add(validationStepName(task));
        }
        Map<String, List<String>> addedDependencies = new LinkedHashMap<>();
        for (StepDefinition step : existingSteps) {
            if (step.type() == StepType.COMPLETION && step.dependencies().contains(taskCreationStep)) {
                addedDependencies.put(step.name(), validations);
            }
        }
        Set<String> existingNames = new HashSet<>();
        existingSteps.forEach(s -> existingNames.add(s.name()));
        List<WorkflowProblem> graph = WorkflowValidator.graphProblems(added, existingNames);
        if (!graph.isEmpty()) {
            throw new InvalidTaskPlanException(
                    graph.stream().map(WorkflowProblem::toString).toList().toString());
        }
        return new Expansion(added, addedDependencies);
    }

    private static List<String> planProblems(TaskPlan plan) {
        List<String> problems = new ArrayList<>();
        if (plan.tasks().isEmpty()) {
            problems.add("the task plan has no tasks");
        }
        if (plan.tasks().size() > TaskPlan.MAX_TASKS) {
            problems.add("the task plan has " + plan.tasks().size() + " tasks; the limit is " + TaskPlan.MAX_TASKS);
            return problems;
        }
        Set<String> ids = new HashSet<>();
        for (TaskSpec task : plan.tasks()) {
            if (!TASK_ID.matcher(task.id()).matches()) {
                problems.add("task id '" + task.id() + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (!ids.add(task.id())) {
                problems.add("task id '" + task.id() + "' is used twice");
            }
        }
        for (TaskSpec task : plan.tasks()) {
            for (String dep : task.dependsOn()) {
                if (!ids.contains(dep)) {
                    problems.add("task '" + task.id() + "' depends on unknown task '" + dep + "'");
                } else if (dep.equals(task.id())) {
                    problems.add("task '" + task.id() + "' depends on itself");
                }
            }
        }
        return problems;
    }

    /** The task plan cannot become steps; retryable, since an engine may produce a usable plan next time. */
    public static final class InvalidTaskPlanException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidTaskPlanException(String message) {
            super("invalid task plan: " + message);
        }

        public StepError toStepError() {
            return StepError.retryable(StepError.INVALID_TASK_PLAN, String.valueOf(getMessage()));
        }
    }
}
