package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.event.WorkflowEvent.StepCompleted;
import io.voltworkflow.core.event.WorkflowEvent.StepFailed;
import io.voltworkflow.core.event.WorkflowEvent.StepRetrying;
import io.voltworkflow.core.event.WorkflowEvent.StepStarted;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RepairPolicy;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.plan.StandardPlan;
import io.voltworkflow.core.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The attempt runner: takes what the dispatcher says may start, records the attempt ({@code step_started}), arms its
 * start-to-close timeout and calls the engine after the critical section; then turns the outcome into a decision.
 * An engine failure is classified into a {@link StepError} value (retryable, recoverable), and whether and when to
 * retry is read from the step's {@link RetryPolicy} — data, not code paths: a retry is a {@code step_retrying}
 * event and a timer, a final failure fails the workflow, a success completes the step (and grows the plan when
 * task creation returned one) and queues the dependents.
 */
final class AttemptRunner {
    private final OrchestratorOptions options;
    private final TimeSource time;
    private final StepRunner runner;
    private final Executor blocking;
    private final Workflows workflows;
    private final Dispatcher dispatcher;
    private final Journal journal;
    /** Several instances may run this store's workflows: an engine is called only once its start is durable. */
    private final boolean sharedStore;

    AttemptRunner(
            OrchestratorOptions options,
            Executor blocking,
            Workflows workflows,
            Dispatcher dispatcher,
            Journal journal) {
        this.options = options;
        this.time = options.timeSource();
        this.runner = new StepRunner(options.engines());
        this.blocking = blocking;
        this.workflows = workflows;
        this.dispatcher = dispatcher;
        this.journal = journal;
        this.sharedStore = options.store().leases().isPresent();
    }

    /**
     * Starts ready steps while global slots are free, longest remaining path first; runs after every critical section,
     * outside any workflow lock. Each step is started in its own workflow's critical section.
     */
    void dispatch() {
        Dispatcher.Ready next;
        while (workflows.accepting() && (next = dispatcher.reserve()) != null) {
            Dispatcher.Ready reserved = next;
            workflows.lockedWithoutDispatch(reserved.workflow(), () -> startOrPark(reserved));
        }
    }

    /**
     * Under {@code w}'s lock at the end of its critical section: starts its steps while they head the ready queue, so
     * the step that became ready when its dependency finished starts in the same section.
     */
    void dispatchWithin(WorkflowRuntime w) {
        Dispatcher.Ready next;
        while (workflows.accepting() && (next = dispatcher.reserveHeadOf(w)) != null) {
            startOrPark(next);
        }
    }

    /** Under the workflow's lock, with a reserved global slot: start the step, park it, or give the slot back. */
    private void startOrPark(Dispatcher.Ready reserved) {
        WorkflowRuntime w = reserved.workflow();
        StepRuntime s = reserved.step();
        s.queued = false;
        Instant now = time.now();
        if (!workflows.accepting() || !workflows.isLive(w) || !dispatcher.isDispatchable(w, s, now)) {
            dispatcher.unreserve();
            workflows.slotFreed();
            return;
        }
        if (w.dispatched >= dispatcher.workflowLimit(w)) {
            dispatcher.park(w, s);
            return;
        }
        // Completion calls no model: it records and delivers what the budget paid for, a draft saying why if need be.
        if (w.options.budget().isExhaustedBy(w.usage) && !s.reissue && s.definition.type() != StepType.COMPLETION) {
            StepError spent = StepError.recoverable(
                    StepError.BUDGET_EXHAUSTED,
                    "the workflow's budget is spent (used "
                            + w.usage.totalTokens() + " tokens, $" + String.format("%.4f", w.usage.costUsd())
                            + ") before '" + s.name() + "'"
                            + (s.repairRound == 0
                                    ? ""
                                    : " in repair round " + s.repairRound + " of "
                                            + w.options.repair().maxRounds()));
            if (w.completion().isPresent()) {
                refuseAttempt(w, s, now, spent);
            } else {
                dispatcher.unreserve();
                workflows.failWorkflow(w, spent, null);
            }
            return;
        }
        startAttempt(w, s, now);
    }

    /**
     * An attempt the spent budget refuses before any engine is called: recorded as started and failed at once, so
     * the step fails like one an engine's budget check refused, and completion delivers what the budget paid for.
     */
    private void refuseAttempt(WorkflowRuntime w, StepRuntime s, Instant now, StepError spent) {
        int number = s.attempts + 1;
        journal.emit(w, new StepStarted(s.name(), number, s.attemptKey(), false));
        Attempt attempt = new Attempt(w, s, number, now, now);
        s.current = attempt;
        dispatcher.started(w);
        attempt.finished = true;
        finishAttempt(attempt, null, spent);
    }

    private void startAttempt(WorkflowRuntime w, StepRuntime s, Instant now) {
        int number = s.reissue ? Math.max(1, s.attempts) : s.attempts + 1;
        boolean reissued = s.reissue;
        s.reissue = false;
        Duration timeout = s.definition.timeout() != null ? s.definition.timeout() : options.stepTimeout();
        journal.emit(w, new StepStarted(s.name(), number, s.attemptKey(), reissued));
        Attempt attempt = new Attempt(w, s, number, now, now.plus(timeout));
        s.current = attempt;
        dispatcher.started(w);
        StepInputs inputs = inputs(w, s);
        // A retried (or re-issued) attempt's step still holds the error its previous attempt failed with.
        Optional<StepError> previousError = number > 1 ? Optional.ofNullable(s.error) : Optional.empty();
        AttemptContext context = new AttemptContext(
                attempt,
                inputs,
                Optional.ofNullable(s.checkpoint),
                previousError,
                options,
                blocking,
                workflows,
                journal);
        if (sharedStore) {
            // Another instance may hold the lease by now: the store fences the start, and only a start it accepted may
            // have effects. A refused start takes the workflow out of this process, attempt included.
            CompletableFuture<Void> recorded = journal.whenEmittedDurable(w);
            workflows.afterUnlock(
                    w,
                    () -> recorded.whenComplete((ignored, refused) -> {
                        if (refused == null) {
                            blocking.execute(() -> invoke(attempt, timeout, inputs, context));
                        }
                    }));
        } else {
            workflows.afterUnlock(w, () -> invoke(attempt, timeout, inputs, context));
        }
    }

    private static StepInputs inputs(WorkflowRuntime w, StepRuntime s) {
        boolean everything = s.definition.type() == StepType.COMPLETION;
        List<String> dependencies = s.definition.dependencies();
        List<StepRuntime> readable = everything ? w.steps : w.analysisSteps;
        // Sized for what this step can read, so no map grows while it is filled; most steps read one or two outputs.
        int expected = capacity(dependencies.size() + readable.size());
        Map<String, JsonNode> outputs = new LinkedHashMap<>(expected);
        Map<String, StepType> types = new HashMap<>(expected);
        Map<String, String> taskIds = new HashMap<>();
        if (s.definition.type() == StepType.VALIDATION) {
            upstream(w, dependencies, outputs, types, taskIds, new HashSet<>());
        } else {
            for (String dep : dependencies) {
                StepRuntime d = w.step(dep);
                if (d.state == StepState.COMPLETED) {
                    outputs.put(dep, d.output);
                    types.put(dep, d.definition.type());
                }
            }
        }
        List<String> order = readable.isEmpty() ? List.of() : new ArrayList<>(readable.size());
        Map<String, StepError> rejections = everything ? new LinkedHashMap<>() : Map.of();
        for (StepRuntime other : readable) {
            boolean rejected = everything && WorkflowRuntime.rejected(other);
            if (other.state != StepState.COMPLETED && !rejected) {
                continue;
            }
            types.put(other.name(), other.definition.type());
            JsonNode taskId =
                    other.definition.input().path(StandardPlan.TASK_FIELD).path("id");
            if (taskId.isTextual()) {
                taskIds.put(other.name(), taskId.asText());
            }
            if (rejected) {
                rejections.put(other.name(), rejection(w, other));
            } else {
                outputs.put(other.name(), other.output);
                order.add(other.name());
            }
        }
        return new StepInputs(
                w.requirement(),
                w.projectContext(),
                s.definition,
                outputs,
                types,
                order,
                taskIds,
                rejections,
                w.usage,
                s.repair);
    }

    /** A hash map capacity that holds {@code entries} without resizing. */
    private static int capacity(int entries) {
        return (int) (entries / 0.75f) + 1;
    }

    /**
     * Every completed step a validation depends on, directly or not, dependencies first: the validation of a task needs
     * the code of the tasks its own code was generated on top of, with their task ids.
     */
    private static void upstream(
            WorkflowRuntime w,
            List<String> dependencies,
            Map<String, JsonNode> outputs,
            Map<String, StepType> types,
            Map<String, String> taskIds,
            Set<String> seen) {
        for (String dep : dependencies) {
            if (!seen.add(dep)) {
                continue;
            }
            StepRuntime d = w.step(dep);
            upstream(w, d.definition.dependencies(), outputs, types, taskIds, seen);
            if (d.state == StepState.COMPLETED) {
                outputs.put(dep, d.output);
                types.put(dep, d.definition.type());
                JsonNode taskId =
                        d.definition.input().path(StandardPlan.TASK_FIELD).path("id");
                if (taskId.isTextual()) {
                    taskIds.put(dep, taskId.asText());
                }
            }
        }
    }

    /**
     * The engine call, after the critical section that recorded the start. The start-to-close timeout is armed only
     * when the call is still running once it returns: an engine that answered at once cannot time out, and arming
     * and cancelling a timer for it would wake the timer thread on every such step.
     */
    private void invoke(Attempt attempt, Duration timeout, StepInputs inputs, AttemptContext context) {
        CompletionStage<JsonNode> stage;
        try {
            stage = runner.run(inputs, context);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedStage(e);
        }
        if (!isDone(stage)) {
            armTimeout(attempt, timeout);
        }
        stage.whenComplete((output, error) -> onAttemptDone(attempt, output, error));
    }

    /** Counts from the attempt's start, so a call that took long to return has only the rest of its time left. */
    private void armTimeout(Attempt attempt, Duration timeout) {
        workflows.guarded(attempt.workflow, () -> {
            if (!attempt.finished) {
                Duration left = Duration.between(time.now(), attempt.deadline);
                attempt.timeoutTimer = time.schedule(left, () -> onTimeout(attempt, timeout));
            }
            return null;
        });
    }

    private static boolean isDone(CompletionStage<?> stage) {
        try {
            return stage.toCompletableFuture().isDone();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private void onTimeout(Attempt attempt, Duration timeout) {
        workflows.locked(attempt.workflow, () -> {
            if (!attempt.finished) {
                finishAttempt(
                        attempt,
                        null,
                        StepError.retryable(
                                StepError.TIMEOUT,
                                "step '" + attempt.step.name() + "' did not finish within " + timeout.toMillis()
                                        + " ms"));
            }
            return null;
        });
    }

    private void onAttemptDone(Attempt attempt, @Nullable JsonNode output, @Nullable Throwable error) {
        workflows.locked(attempt.workflow, () -> {
            if (!attempt.finished && !workflows.closed()) {
                finishAttempt(attempt, output, error == null ? null : classify(error, attempt));
            }
            return null;
        });
    }

    /** What went wrong, as a value: the engine's own classification, else cancelled or an unexpected error. */
    static StepError classify(Throwable error, Attempt attempt) {
        EngineException engine = StepRunner.unwrapEngineException(error);
        if (engine != null) {
            return engine.error();
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            return StepError.recoverable(StepError.CANCELLED, "the engine call was cancelled");
        }
        String message = "step '" + attempt.step.name() + "' failed unexpectedly: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        // An engine that throws instead of classifying has most likely met a transient condition (a file that vanished,
        // a closed stream): retry it like an I/O failure. An Error (out of memory, stack overflow) is not retried.
        return cause instanceof RuntimeException || cause instanceof IOException
                ? StepError.retryable(StepError.ENGINE_ERROR, message)
                : StepError.recoverable(StepError.ENGINE_ERROR, message);
    }

    /** Records an attempt's outcome: completion (and growth), retry, or failure of the workflow. */
    private void finishAttempt(Attempt attempt, @Nullable JsonNode output, @Nullable StepError error) {
        WorkflowRuntime w = attempt.workflow;
        StepRuntime s = attempt.step;
        workflows.release(w, s);
        dispatcher.unpark(w);
        Instant now = time.now();
        long durationMs = attempt.elapsedMs(now);
        StepError failure = error;
        if (failure == null) {
            failure = output == null || !output.isObject()
                    ? StepError.retryable(StepError.INVALID_RESPONSE, "step '" + s.name() + "' produced no JSON object")
                    : complete(attempt, output, durationMs, now);
        }
        if (failure != null) {
            // The engine may still be working (a step timeout fires while its call runs): its cancellation says
            // why the attempt ended, so its own log does not read as if someone cancelled the workflow.
            String reason = "the attempt ended with " + failure.code() + ": " + failure.message();
            workflows.afterUnlock(w, () -> attempt.cancellation.cancel(reason));
            failAttempt(w, s, attempt, failure, durationMs, now);
        }
        workflows.completePauseWaitersIfIdle(w);
    }

    /**
     * Records an attempt's output and moves the workflow on; returns why the output is refused instead (a task plan
     * that does not expand), recording nothing.
     */
    private @Nullable StepError complete(Attempt attempt, JsonNode output, long durationMs, Instant now) {
        WorkflowRuntime w = attempt.workflow;
        StepRuntime s = attempt.step;
        StandardPlan.Expansion expansion = null;
        if (s.definition.type() == StepType.TASK_CREATION) {
            try {
                expansion = StandardPlan.expand(s.name(), StepRunner.planOf(output), w.definitions());
            } catch (StandardPlan.InvalidTaskPlanException e) {
                return e.toStepError();
            } catch (EngineException e) {
                return e.error();
            }
        }
        journal.emit(
                w,
                new StepCompleted(s.name(), attempt.number, durationMs, output, attempt.usage, attempt.provenance()));
        if (expansion != null) {
            journal.emit(
                    w,
                    new WorkflowEvent.WorkflowExpanded(
                            s.name(), expansion.addedSteps(), expansion.addedDependencies()));
        }
        if (options.realTimeUpdates()) {
            journal.emit(
                    w, new WorkflowEvent.WorkflowProgress(w.completedSteps, w.steps.size(), s.name() + " completed"));
        }
        if (s.definition.type() == StepType.COMPLETION && failAfterDelivery(w)) {
            // Failed with the delivery's result kept: rejected validations, or a branch tip that failed.
        } else if (w.allStepsCompleted()) {
            journal.emit(w, new WorkflowEvent.WorkflowCompleted(result(w)));
            workflows.finished(w);
        } else if (expansion != null) {
            dispatcher.enqueueReady(w, now);
        } else {
            dispatcher.enqueueReadyDependents(w, s, now);
        }
        return null;
    }

    private void failAttempt(
            WorkflowRuntime w, StepRuntime s, Attempt attempt, StepError error, long durationMs, Instant now) {
        RetryPolicy policy = s.definition.retryPolicy() != null ? s.definition.retryPolicy() : options.retryPolicy();
        boolean live = w.state == WorkflowState.RUNNING || w.state == WorkflowState.PAUSED;
        if (live && policy.shouldRetry(attempt.number, error)) {
            Duration delay =
                    policy.delayAfter(attempt.number, error, options.random().getAsDouble());
            Instant retryAt = now.plus(delay);
            journal.emit(
                    w,
                    new StepRetrying(
                            s.name(), attempt.number, durationMs, error, delay.toMillis(), retryAt, attempt.usage));
            scheduleRetry(w, s, delay);
            return;
        }
        journal.emit(
                w, new StepFailed(s.name(), attempt.number, durationMs, error, attempt.usage, attempt.provenance()));
        if (!live) {
            return;
        }
        StepRuntime codegen = s.definition.type() == StepType.VALIDATION ? codegenOf(w, s) : null;
        RepairPolicy repair = w.options.repair();
        if (codegen == null || !repair.repairs(s.repairRound, error)) {
            if (deliversRejection(w, s, error)) {
                // The workflow fails once completion has delivered what exists, the failing tasks as a draft.
                dispatcher.enqueueReady(w, now);
            } else {
                workflows.failWorkflow(w, inRound(w, s, error), s.name());
            }
        } else if (w.options.budget().isExhaustedBy(w.usage)) {
            // A round costs a code generation call: with the budget spent it would only fail there, so the loop ends
            // here. Like a loop that ran out of rounds, the task is still delivered (a draft saying the budget stopped
            // it) when completion follows; the workflow fails after, with this error.
            if (deliversRejection(w, s, error)) {
                dispatcher.enqueueReady(w, now);
            } else {
                workflows.failWorkflow(w, budgetStopped(w, s, error), s.name());
            }
        } else {
            journal.emit(
                    w,
                    new WorkflowEvent.RepairRoundStarted(
                            codegen.name(), s.name(), s.repairRound + 1, repair.maxRounds(), error));
            dispatcher.enqueueIfDispatchable(w, codegen, now);
        }
    }

    /**
     * Whether a validation's final "failed" verdict, or any step's refusal by the spent budget, goes to the completion
     * step instead of failing the workflow at once: what exists is still delivered (as a draft pull request) and
     * recorded, and the workflow fails after. Engine failures of a validation (nothing was judged) fail the workflow
     * as before.
     */
    private static boolean deliversRejection(WorkflowRuntime w, StepRuntime s, StepError error) {
        if (StepError.BUDGET_EXHAUSTED.equals(error.code())) {
            // A step the budget refused: completion delivers what was generated before, a draft that says why.
            return s.definition.type() != StepType.COMPLETION && w.completion().isPresent();
        }
        return s.definition.type() == StepType.VALIDATION
                && StepError.VALIDATION_FAILED.equals(error.code())
                && s.dependents.stream().anyMatch(d -> d.definition.type() == StepType.COMPLETION);
    }

    /** A repair round the spent budget did not let start. */
    private static StepError budgetStopped(WorkflowRuntime w, StepRuntime s, StepError error) {
        return StepError.recoverable(
                StepError.BUDGET_EXHAUSTED,
                "the workflow's budget is spent (used "
                        + w.usage.totalTokens() + " tokens, $" + String.format("%.4f", w.usage.costUsd())
                        + "), so repair round "
                        + (s.repairRound + 1) + " of " + w.options.repair().maxRounds() + " was not started after: "
                        + error.message());
    }

    /**
     * Why a rejected validation's task is delivered as failing: its repair rounds ran out (or repair is off), or the
     * budget was spent before the next round could start.
     */
    private static StepError rejection(WorkflowRuntime w, StepRuntime s) {
        StepError error = s.failure();
        boolean roundLeft = codegenOf(w, s) != null && w.options.repair().repairs(s.repairRound, error);
        return roundLeft && w.options.budget().isExhaustedBy(w.usage)
                ? budgetStopped(w, s, error)
                : inRound(w, s, error);
    }

    /**
     * Fails a workflow whose completion step delivered rejected validations, with the first one's error (the same a
     * workflow without completion fails with at once), or delivered a branch whose tip failed validation, with that
     * failure. Under the workflow's lock; false when that is not the case.
     */
    boolean failAfterDelivery(WorkflowRuntime w) {
        Optional<StepRuntime> completion = w.completion().filter(c -> c.state == StepState.COMPLETED);
        if (completion.isEmpty()) {
            return false;
        }
        List<StepRuntime> rejected = w.rejectedValidations();
        if (rejected.isEmpty()) {
            Optional<StepError> tip = WorkflowRuntime.tipValidationFailure(completion.get());
            tip.ifPresent(
                    error -> workflows.failWorkflow(w, error, completion.get().name()));
            return tip.isPresent();
        }
        if (!w.settledWithRejections()) {
            return false;
        }
        // A spent budget is why the rest did not run: it is the workflow's error, resumable once the budget is raised.
        StepRuntime refused = rejected.stream()
                .filter(r -> StepError.BUDGET_EXHAUSTED.equals(r.failure().code()))
                .findFirst()
                .orElse(null);
        if (refused != null) {
            workflows.failWorkflow(w, refused.failure(), refused.name());
            return true;
        }
        StepError first = rejection(w, rejected.get(0));
        StepError error = rejected.size() == 1
                ? first
                : withMessage(first, rejected.size() + " tasks failed validation; the first: " + first.message());
        workflows.failWorkflow(w, error, rejected.get(0).name());
        return true;
    }

    private static StepError withMessage(StepError error, String message) {
        return new StepError(error.code(), message, error.retryable(), error.recoverable(), error.retryAfter());
    }

    /** A failure inside a repair round says so: "repair round 2 of 2" tells the reader the loop ran out. */
    private static StepError inRound(WorkflowRuntime w, StepRuntime s, StepError error) {
        if (s.repairRound == 0) {
            return error;
        }
        return withMessage(
                error,
                "in repair round " + s.repairRound + " of " + w.options.repair().maxRounds() + ": " + error.message());
    }

    /** The completed code generation step a validation step checks, or null when it checks none. */
    private static @Nullable StepRuntime codegenOf(WorkflowRuntime w, StepRuntime validation) {
        String named = validation
                .definition
                .input()
                .path(StandardPlan.CODEGEN_STEP_FIELD)
                .asText(null);
        StepRuntime codegen = named == null ? null : w.byName.get(named);
        if (codegen == null) {
            for (String dep : validation.definition.dependencies()) {
                StepRuntime candidate = w.step(dep);
                if (candidate.definition.type() == StepType.CODEGEN) {
                    codegen = candidate;
                    break;
                }
            }
        }
        return codegen != null && codegen.state == StepState.COMPLETED ? codegen : null;
    }

    /** Arms the timer that ends a step's backoff. Under the workflow's lock. */
    void scheduleRetry(WorkflowRuntime w, StepRuntime s, Duration delay) {
        if (s.retryTimer != null) {
            s.retryTimer.cancel();
        }
        s.retryTimer = time.schedule(
                delay,
                () -> workflows.locked(w, () -> {
                    s.retryTimer = null;
                    if (workflows.isLive(w)) {
                        dispatcher.enqueueIfDispatchable(w, s, time.now());
                    }
                    return null;
                }));
    }

    /** The completion step's output, or the outputs of the sink steps of a custom DAG. */
    static JsonNode result(WorkflowRuntime w) {
        StepRuntime completion = null;
        for (StepRuntime s : w.steps) {
            if (s.definition.type() == StepType.COMPLETION) {
                completion = s;
            }
        }
        if (completion != null) {
            return completion.completedOutput();
        }
        ObjectNode sinks = WorkflowJson.mapper().createObjectNode();
        for (StepRuntime s : w.steps) {
            if (s.dependents.isEmpty()) {
                sinks.set(s.name(), s.output);
            }
        }
        return sinks;
    }
}
