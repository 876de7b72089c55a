package io.voltworkflow.ui.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A workflow of the fake API, producing the status and event JSON of docs/status-json.md. Step times are derived
 * from the dependency structure (a step starts when its dependencies finished), so the timeline looks like a real
 * run. Not thread-safe: {@link FakeVoltApi} guards it.
 */
final class FakeWorkflow {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TASK_TITLES = List.of("Login endpoint", "Token refresh", "Password reset", "Rate limit");

    private final String id;
    private final String requirement;
    private final Instant createdAt;
    private final Map<String, String> projectContext = new LinkedHashMap<>();
    private final Map<String, ObjectNode> steps = new LinkedHashMap<>();
    private final List<ObjectNode> events = new ArrayList<>();
    private String state = "created";
    private boolean hostCanResume = true;

    FakeWorkflow(String id, String requirement, Instant createdAt) {
        this.id = id;
        this.requirement = requirement;
        this.createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    }

    String id() {
        return id;
    }

    String state() {
        return state;
    }

    FakeWorkflow context(String key, String value) {
        projectContext.put(key, value);
        return this;
    }

    FakeWorkflow state(String newState) {
        state = newState;
        return this;
    }

    /** As a Jenkins build that has ended serves its saved status: nothing there can resume the workflow. */
    FakeWorkflow hostCannotResume() {
        hostCanResume = false;
        return this;
    }

    /** Adds a step; a started step begins 5 ms after its last dependency finished. */
    FakeWorkflow step(String name, String type, String stepState, long durationMs, String... dependencies) {
        ObjectNode step = JSON.createObjectNode();
        step.put("name", name).put("type", type).put("state", stepState);
        ArrayNode deps = step.putArray("dependencies");
        Instant start = createdAt.plusMillis(5);
        for (String dependency : dependencies) {
            deps.add(dependency);
            ObjectNode parent = steps.get(dependency);
            if (parent != null && parent.hasNonNull("finishedAt")) {
                Instant parentEnd =
                        Instant.parse(parent.get("finishedAt").asText()).plusMillis(5);
                start = parentEnd.isAfter(start) ? parentEnd : start;
            }
        }
        boolean started = !stepState.equals("pending");
        boolean finished = stepState.equals("completed") || stepState.equals("failed") || stepState.equals("cancelled");
        step.put("attempts", started ? 1 : 0).put("maxAttempts", 3).put("idempotencyKey", id + ":" + name);
        step.put("startedAt", started ? start.toString() : null);
        step.put("finishedAt", finished ? start.plusMillis(durationMs).toString() : null);
        if (finished) {
            step.put("durationMs", durationMs);
        } else {
            step.putNull("durationMs");
        }
        step.put("progressMessage", stepState.equals("running") ? "Generating code (attempt 1)" : null);
        step.putNull("error");
        step.set(
                "output",
                finished && stepState.equals("completed")
                        ? JSON.createObjectNode().put("summary", name + " done")
                        : null);
        steps.put(name, step);
        return this;
    }

    ObjectNode step(String name) {
        ObjectNode step = steps.get(name);
        if (step == null) {
            throw new IllegalArgumentException("no step " + name + " in " + id);
        }
        return step;
    }

    FakeWorkflow stepError(String name, int attempts, String code, String message, boolean retryable) {
        ObjectNode step = step(name);
        step.put("attempts", attempts);
        step.putObject("error")
                .put("code", code)
                .put("message", message)
                .put("retryable", retryable)
                .put("recoverable", retryable);
        return this;
    }

    /** Records the events a real run would have produced so far, ordered by time. */
    FakeWorkflow seedHistory() {
        record Timed(Instant at, String type, String step) {}
        List<Timed> timed = new ArrayList<>();
        timed.add(new Timed(createdAt, "workflow_created", null));
        timed.add(new Timed(createdAt.plusMillis(1), "workflow_initialized", null));
        if (!state.equals("created") && !state.equals("initialized")) {
            timed.add(new Timed(createdAt.plusMillis(2), "workflow_started", null));
        }
        for (ObjectNode step : steps.values()) {
            String name = step.get("name").asText();
            if (step.hasNonNull("startedAt")) {
                timed.add(new Timed(Instant.parse(step.get("startedAt").asText()), "step_started", name));
            }
            if (step.hasNonNull("finishedAt")) {
                timed.add(new Timed(
                        Instant.parse(step.get("finishedAt").asText()),
                        "step_" + step.get("state").asText(),
                        name));
            }
        }
        timed.sort(Comparator.comparing(Timed::at));
        for (Timed t : timed) {
            ObjectNode data = JSON.createObjectNode();
            if (t.step() != null) {
                data.put("attempt", 1);
            }
            appendEvent(t.type(), t.step(), data, t.at());
        }
        return this;
    }

    ObjectNode appendEvent(String type, String stepName, ObjectNode data, Instant at) {
        ObjectNode event = JSON.createObjectNode();
        event.put("workflowId", id)
                .put("sequence", events.size() + 1)
                .put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("type", type).put("step", stepName).set("data", data);
        events.add(event);
        return event;
    }

    int lastSequence() {
        return events.size();
    }

    List<ObjectNode> eventsAfter(long after) {
        return events.stream()
                .filter(event -> event.get("sequence").asLong() > after)
                .toList();
    }

    ObjectNode status() {
        ObjectNode status = JSON.createObjectNode();
        status.put("workflowId", id).put("state", state).put("requirement", requirement);
        ObjectNode context = status.putObject("projectContext");
        projectContext.forEach(context::put);
        status.put("createdAt", createdAt.toString());
        List<ObjectNode> started = steps.values().stream()
                .filter(step -> step.hasNonNull("startedAt"))
                .toList();
        status.put(
                "startedAt", started.isEmpty() ? null : createdAt.plusMillis(2).toString());
        boolean terminal = state.equals("completed") || state.equals("failed") || state.equals("cancelled");
        status.put(
                "finishedAt",
                terminal
                        ? steps.values().stream()
                                .filter(step -> step.hasNonNull("finishedAt"))
                                .map(step -> step.get("finishedAt").asText())
                                .max(Comparator.naturalOrder())
                                .orElse(createdAt.toString())
                        : null);
        status.put("lastSequence", events.size());
        status.put("resumable", hostCanResume && (state.equals("paused") || state.equals("failed")));
        long completed = steps.values().stream()
                .filter(step -> step.get("state").asText().equals("completed"))
                .count();
        ObjectNode progress = status.putObject("progress");
        progress.put("completedSteps", completed)
                .put("totalSteps", steps.size())
                .put("percent", steps.isEmpty() ? 0.0 : 100.0 * completed / steps.size())
                .put("message", completed + " of " + steps.size() + " steps completed");
        ArrayNode stepArray = status.putArray("steps");
        steps.values().forEach(step -> stepArray.add(step.deepCopy()));
        ArrayNode history = status.putArray("history");
        history.addObject()
                .put("from", "created")
                .put("to", "initialized")
                .put("at", createdAt.plusMillis(1).toString())
                .put("reason", "definition validated");
        if (state.equals("cancelled")) {
            history.addObject()
                    .put("from", "running")
                    .put("to", "cancelled")
                    .put("at", createdAt.plusSeconds(1).toString())
                    .put("reason", "Superseded by a newer run");
        }
        if (state.equals("failed")) {
            status.putObject("error")
                    .put("code", "STEP_FAILED")
                    .put("message", "A step failed after all retries")
                    .put("retryable", false)
                    .put("recoverable", false);
        } else {
            status.putNull("error");
        }
        status.putObject("usage")
                .put("inputTokens", 1000L * completed)
                .put("outputTokens", 400L * completed)
                .put("costUsd", 0.0021 * completed);
        return status;
    }

    /**
     * The usual pipeline: analysis, task creation, one codegen and one validation per task, completion. Each step
     * gets its state from stateOf (given the step name). Chained tasks each wait for the previous task's validation.
     */
    static FakeWorkflow pipeline(
            String id,
            String requirement,
            Instant createdAt,
            int tasks,
            boolean chained,
            Function<String, String> stateOf) {
        FakeWorkflow workflow = new FakeWorkflow(id, requirement, createdAt);
        workflow.step("Requirement Analysis", "analysis", stateOf.apply("Requirement Analysis"), 1200);
        workflow.step("Task Creation", "task_creation", stateOf.apply("Task Creation"), 800, "Requirement Analysis");
        List<String> validations = new ArrayList<>();
        for (int task = 1; task <= tasks; task++) {
            String codegen = "Generate Code for Task " + task;
            String validation = "Validate Task " + task;
            String after = chained && task > 1 ? "Validate Task " + (task - 1) : "Task Creation";
            workflow.step(codegen, "codegen", stateOf.apply(codegen), 1500 + 370L * (task % 7), after);
            workflow.step(validation, "validation", stateOf.apply(validation), 600 + 210L * (task % 5), codegen);
            validations.add(validation);
        }
        workflow.step("Completion", "completion", stateOf.apply("Completion"), 300, validations.toArray(String[]::new));
        // The plan task creation produced: the page titles each task's steps with it.
        com.fasterxml.jackson.databind.node.ArrayNode plan =
                workflow.step("Task Creation").putObject("output").putArray("tasks");
        for (int task = 1; task <= tasks; task++) {
            plan.addObject()
                    .put("id", String.valueOf(task))
                    .put("title", TASK_TITLES.get((task - 1) % TASK_TITLES.size()) + " " + task);
        }
        return workflow;
    }
}
