package io.voltworkflow.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.DeliveryRequest;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.StepInvocation;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.TaskStorage;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.plan.StandardPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** Runs one attempt of a step against the engines, by step type; returns the step's output. */
final class StepRunner {
    /** Field of a code generation result's {@code details} that counts its repair round (0 or absent: the first). */
    static final String REPAIR_ROUND_FIELD = "repairRound";

    private final Engines engines;

    StepRunner(Engines engines) {
        this.engines = engines;
    }

    CompletionStage<JsonNode> run(StepInputs in, EngineContext ctx) {
        StepType type = in.definition().type();
        if (type instanceof StepType.Custom custom) {
            return engines.customHandler(custom)
                    .map(handler -> handler.execute(
                            new StepInvocation(in.requirement(), in.definition().input(), in.outputs()), ctx))
                    .orElseGet(() -> missing("custom step type '" + custom.id() + "'"));
        }
        return switch ((StepType.Builtin) type) {
            case ANALYSIS -> analysis(in, ctx);
            case TASK_CREATION -> taskCreation(in, ctx);
            case CODEGEN -> codegen(in, ctx);
            case VALIDATION -> validation(in, ctx);
            case COMPLETION -> completion(in, ctx);
        };
    }

    private CompletionStage<JsonNode> analysis(StepInputs in, EngineContext ctx) {
        if (engines.nlp().isEmpty()) {
            return missing("NLP engine (analysis)");
        }
        return engines.nlp()
                .get()
                .analyze(new AnalysisRequest(in.requirement(), in.projectContext()), ctx)
                .thenApply(StepRunner::tree);
    }

    private CompletionStage<JsonNode> taskCreation(StepInputs in, EngineContext ctx) {
        if (engines.nlp().isEmpty()) {
            return missing("NLP engine (task creation)");
        }
        AnalysisResult analysis = analysisOf(in);
        TaskStorage storage = engines.taskStorage();
        return engines.nlp()
                .get()
                .createTasks(new TaskCreationRequest(in.requirement(), in.projectContext(), analysis), ctx)
                .thenCompose(plan -> {
                    if (plan == null) {
                        throw new EngineException(StepError.retryable(
                                StepError.INVALID_RESPONSE, "the NLP engine returned no task plan"));
                    }
                    return storage.saveTasks(ctx.workflowId(), plan.tasks(), ctx)
                            .thenApply(ignored -> tree(plan));
                });
    }

    private CompletionStage<JsonNode> codegen(StepInputs in, EngineContext ctx) {
        if (engines.codegen().isEmpty()) {
            return missing("codegen engine");
        }
        CodegenEngine engine = engines.codegen().get();
        TaskSpec task = read(
                in.definition().input().get(StandardPlan.TASK_FIELD),
                TaskSpec.class,
                "task of " + in.definition().name());
        CodegenRequest request =
                new CodegenRequest(in.requirement(), in.projectContext(), analysisOf(in), task, in.repair());
        CompletionStage<CodegenJob> job = ctx.checkpoint()
                .filter(c -> c.hasNonNull("jobId"))
                .map(c -> CompletableFuture.completedStage(read(c, CodegenJob.class, "codegen checkpoint")))
                .orElseGet(() -> engine.submit(request, ctx)
                        .thenCompose(
                                submitted -> ctx.saveCheckpoint(tree(submitted)).thenApply(ignored -> submitted)));
        return job.thenCompose(submitted -> {
            ctx.cancellation().onCancel(() -> engine.cancel(submitted, ctx));
            return pollUntilDone(engine, submitted, ctx, null);
        });
    }

    private CompletionStage<JsonNode> pollUntilDone(
            CodegenEngine engine, CodegenJob job, EngineContext ctx, @Nullable String lastMessage) {
        if (ctx.cancellation().isCancelled()) {
            return CompletableFuture.failedStage(new EngineException(StepError.recoverable(
                    StepError.CANCELLED,
                    Objects.requireNonNullElse(ctx.cancellation().reason(), "cancelled"))));
        }
        return engine.poll(job, ctx)
                .thenCompose(poll -> {
                    if (poll instanceof CodegenPoll.Succeeded done) {
                        return CompletableFuture.completedStage(tree(done.result()));
                    }
                    if (poll instanceof CodegenPoll.Failed failed) {
                        // The job is over: a retry must submit again (same idempotency key), not poll a dead job.
                        return ctx.saveCheckpoint(null)
                                .thenCompose(ignored ->
                                        CompletableFuture.<JsonNode>failedStage(new EngineException(failed.error())));
                    }
                    CodegenPoll.Running running = (CodegenPoll.Running) poll;
                    if (running.message() != null && !running.message().equals(lastMessage)) {
                        ctx.progress(running.message());
                    }
                    return ctx.time()
                            .delay(running.pollAfter())
                            .thenCompose(ignored -> pollUntilDone(engine, job, ctx, running.message()));
                })
                .exceptionallyCompose(error -> {
                    EngineException engineError = unwrapEngineException(error);
                    if (engineError != null
                            && StepError.JOB_NOT_FOUND.equals(
                                    engineError.error().code())) {
                        return ctx.saveCheckpoint(null)
                                .thenCompose(ignored -> CompletableFuture.failedStage(engineError));
                    }
                    return CompletableFuture.failedStage(error);
                });
    }

    private CompletionStage<JsonNode> validation(StepInputs in, EngineContext ctx) {
        if (engines.validation().isEmpty()) {
            return missing("validation engine");
        }
        JsonNode input = in.definition().input();
        TaskSpec task = read(
                input.get(StandardPlan.TASK_FIELD),
                TaskSpec.class,
                "task of " + in.definition().name());
        String named = input.path(StandardPlan.CODEGEN_STEP_FIELD).asText(null);
        String codegenStep = named != null && in.outputs().containsKey(named)
                ? named
                : in.definition().dependencies().stream()
                        .filter(dep -> in.types().get(dep) == StepType.CODEGEN
                                && in.outputs().containsKey(dep))
                        .findFirst()
                        .orElse(null);
        JsonNode code = codegenStep == null ? null : in.outputs().get(codegenStep);
        if (code == null) {
            return CompletableFuture.failedStage(new EngineException(StepError.fatal(
                    StepError.INVALID_INPUT,
                    "validation step '" + in.definition().name()
                            + "' has no completed code generation step to validate")));
        }
        CodegenResult codegen = read(code, CodegenResult.class, "output of " + codegenStep);
        List<ValidationRequest.DependencyCode> dependencies = new ArrayList<>();
        in.outputs().forEach((step, output) -> {
            String taskId = in.taskIds().get(step);
            if (in.types().get(step) == StepType.CODEGEN && !step.equals(codegenStep) && taskId != null) {
                dependencies.add(new ValidationRequest.DependencyCode(
                        taskId, read(output, CodegenResult.class, "output of " + step)));
            }
        });
        return engines.validation()
                .get()
                .validate(new ValidationRequest(in.projectContext(), task, codegen, dependencies), ctx)
                .thenApply(result -> {
                    if (!result.passed()) {
                        throw new EngineException(
                                StepError.recoverable(StepError.VALIDATION_FAILED, validationSummary(task, result)));
                    }
                    return tree(result);
                });
    }

    /**
     * Names the first failing check first: that is the line a console, the UI and a Jenkins log show. Every further
     * finding follows on a line of its own, since the message is also what a repair round hands code generation.
     */
    private static String validationSummary(TaskSpec task, ValidationResult result) {
        List<String> findings = result.findings();
        String first = findings.isEmpty()
                ? ""
                : ": " + findings.get(0)
                        + (findings.size() > 1 ? " (and " + count(findings.size() - 1, "more finding") + ")" : "");
        // A validator that counts no tests (a command judged by its exit code) has no counts worth a clause.
        String counts = result.tests() == 0
                ? ""
                : "; " + count(result.failures(), "failure") + ", " + count(result.errors(), "error") + " of "
                        + count(result.tests(), "test");
        String more = findings.size() > 1 ? "\n" + String.join("\n", findings.subList(1, findings.size())) : "";
        return "validation of task " + task.id() + " failed" + first + counts
                + (result.summary().isEmpty()
                        ? ""
                        : (first.isEmpty() && counts.isEmpty() ? ": " : " — ") + result.summary())
                + more;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * Gathers per-task outcomes, records them in task storage and, when a delivery engine is configured, delivers them
     * (its result becomes the output's {@code delivery}). Runs when every validation passed, or once the rest has
     * settled around validations that failed for good: those tasks are delivered as failing, with their failures.
     * Needs no other engine.
     */
    private CompletionStage<JsonNode> completion(StepInputs in, EngineContext ctx) {
        ObjectNode result = WorkflowJson.mapper().createObjectNode();
        ArrayNode tasks = result.putArray("tasks");
        List<TaskStorage.TaskOutcome> outcomes = new ArrayList<>();
        Map<String, ObjectNode> byTask = new LinkedHashMap<>();
        Map<String, TaskSpec> specs = new LinkedHashMap<>();
        Map<String, JsonNode> codes = new HashMap<>();
        Map<String, JsonNode> validations = new HashMap<>();
        for (String name : in.completedStepOrder()) {
            StepType type = in.types().get(name);
            JsonNode output = in.outputs().getOrDefault(name, MissingNode.getInstance());
            if (type == StepType.TASK_CREATION) {
                for (JsonNode task : output.path("tasks")) {
                    ObjectNode entry = WorkflowJson.mapper().createObjectNode();
                    entry.put("id", task.path("id").asText());
                    entry.put("title", task.path("title").asText());
                    byTask.put(task.path("id").asText(), entry);
                    specs.put(task.path("id").asText(), read(task, TaskSpec.class, "task of " + name));
                    tasks.add(entry);
                }
            }
        }
        for (String name : in.completedStepOrder()) {
            StepType type = in.types().get(name);
            if (type != StepType.CODEGEN && type != StepType.VALIDATION) {
                continue;
            }
            JsonNode output = in.outputs().getOrDefault(name, MissingNode.getInstance());
            String taskId = in.taskIds().get(name);
            ObjectNode entry = byTask.get(taskId);
            if (entry == null) {
                continue;
            }
            if (type == StepType.CODEGEN) {
                codes.put(taskId, output);
                ObjectNode codegen = entry.putObject("codegen");
                codegen.put("step", name);
                codegen.set("summary", output.path("summary"));
                codegen.set("reference", output.path("reference"));
                codegen.set("generator", output.path("generator"));
                codegen.set("files", output.path("files"));
            } else {
                validations.put(taskId, output);
                ObjectNode validation = entry.putObject("validation");
                validation.put("step", name);
                validation.set("passed", output.path("passed"));
                validation.set("tests", output.path("tests"));
                validation.set("failures", output.path("failures"));
                validation.set("summary", output.path("summary"));
                validation.set("reportReference", output.path("reportReference"));
            }
        }
        Map<String, String> failures = new HashMap<>();
        in.rejections().forEach((name, error) -> {
            String taskId = in.taskIds().get(name);
            ObjectNode entry = byTask.get(taskId);
            if (entry == null) {
                return;
            }
            failures.put(taskId, error.message());
            ObjectNode validation = entry.putObject("validation");
            validation.put("step", name);
            validation.put("passed", false);
            validation.put("error", error.message());
        });
        for (Map.Entry<String, ObjectNode> entry : byTask.entrySet()) {
            ObjectNode task = entry.getValue();
            outcomes.add(new TaskStorage.TaskOutcome(
                    entry.getKey(),
                    task.has("codegen"),
                    task.path("validation").path("passed").asBoolean(false),
                    task.path("codegen").path("reference").asText(null)));
        }
        long validated =
                outcomes.stream().filter(TaskStorage.TaskOutcome::validated).count();
        result.put(
                "summary",
                count(outcomes.size(), "task") + ", " + validated + " validated"
                        + (failures.isEmpty() ? "" : ", " + failures.size() + " failed validation"));
        CompletionStage<Void> recorded = CompletableFuture.completedFuture(null);
        for (TaskStorage.TaskOutcome outcome : outcomes) {
            recorded = recorded.thenCompose(
                    ignored -> engines.taskStorage().recordOutcome(ctx.workflowId(), outcome, ctx));
        }
        // A spent budget that stopped the workflow before any code was generated: say that nothing was delivered, and
        // why.
        String undelivered = codes.isEmpty()
                ? in.rejections().values().stream()
                        .filter(error -> StepError.BUDGET_EXHAUSTED.equals(error.code()))
                        .findFirst()
                        .map(error -> "nothing was delivered: " + error.message())
                        .orElse(null)
                : null;
        if (undelivered != null) {
            ctx.progress(undelivered);
        }
        if (engines.delivery().isEmpty()) {
            return recorded.thenApply(ignored -> withUndelivered(result, undelivered));
        }
        List<DeliveryRequest.DeliveredTask> delivered = new ArrayList<>();
        specs.forEach((id, spec) -> {
            JsonNode code = codes.get(id);
            delivered.add(new DeliveryRequest.DeliveredTask(
                    spec,
                    code == null ? null : read(code, CodegenResult.class, "code of task " + id),
                    validations.containsKey(id)
                            ? read(validations.get(id), ValidationResult.class, "validation of task " + id)
                            : null,
                    code == null
                            ? 0
                            : Math.max(
                                    0,
                                    code.path("details")
                                            .path(REPAIR_ROUND_FIELD)
                                            .asInt(0)),
                    failures.get(id)));
        });
        DeliveryRequest request = new DeliveryRequest(in.requirement(), delivered, in.usage());
        return recorded.thenCompose(ignored -> engines.delivery().get().deliver(request, ctx))
                .thenApply(delivery -> {
                    result.set("delivery", tree(delivery));
                    result.put("summary", result.path("summary").asText() + "; " + delivery.summary());
                    return withUndelivered(result, undelivered);
                });
    }

    private static ObjectNode withUndelivered(ObjectNode result, @Nullable String undelivered) {
        if (undelivered != null) {
            result.put("summary", result.path("summary").asText() + "; " + undelivered);
        }
        return result;
    }

    /** The analysis step's result, or {@code null} in a workflow without one. */
    private static @Nullable AnalysisResult analysisOf(StepInputs in) {
        for (Map.Entry<String, JsonNode> output : in.outputs().entrySet()) {
            if (in.types().get(output.getKey()) == StepType.ANALYSIS) {
                return read(output.getValue(), AnalysisResult.class, "output of " + output.getKey());
            }
        }
        return null;
    }

    private static <T> CompletionStage<T> missing(String what) {
        return CompletableFuture.failedStage(
                new EngineException(StepError.recoverable(StepError.NO_HANDLER, "no " + what + " is configured")));
    }

    static JsonNode tree(Object value) {
        if (value == null) {
            throw new EngineException(StepError.retryable(StepError.INVALID_RESPONSE, "the engine returned no result"));
        }
        return WorkflowJson.toTree(value);
    }

    private static <T> T read(JsonNode node, Class<T> type, String what) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new EngineException(StepError.fatal(StepError.INVALID_INPUT, what + " is missing"));
        }
        try {
            return WorkflowJson.mapper().treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new EngineException(
                    StepError.fatal(
                            StepError.INVALID_INPUT,
                            what + " is not a valid " + type.getSimpleName() + ": " + e.getMessage()),
                    e);
        }
    }

    static @Nullable EngineException unwrapEngineException(Throwable error) {
        Throwable current = error;
        while (current != null) {
            if (current instanceof EngineException engineException) {
                return engineException;
            }
            current = current.getCause();
        }
        return null;
    }

    /** The plan a completed task creation step produced. */
    static TaskPlan planOf(JsonNode output) {
        return read(output, TaskPlan.class, "task plan");
    }
}
