package io.jenkins.plugins.voltworkflow.workspace;

import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.delivery.TipValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Validation by a command run on the agent, in a copy of a build workspace made for the task: the workspace comes
 * from the {@link WorkspaceBroker}, the patches of the tasks it depends on are applied to the copy, the task's own
 * patch is written to {@code .volt/<task>.patch}, and exit code 0 passes.
 * Without a configured command, the project's build is detected the way the built-in engine detects it.
 * The command sees {@code VOLT_WORKFLOW_ID}, {@code VOLT_TASK_ID}, {@code VOLT_TASK_TITLE},
 * {@code VOLT_IDEMPOTENCY_KEY} and {@code VOLT_PATCH_FILE}.
 *
 * <p>It also validates delivery's branch tip, all tasks together: the same command, once, in a clean checkout of
 * the tip next to the workspace lent for every task, with {@code VOLT_TASK_ID=branch} and the branch's whole change
 * as its patch.
 */
public final class AgentValidationEngine implements ValidationEngine, TipValidator {

    /** The built-in engine's build detection, as a POSIX shell command (Windows agents need a configured command). */
    static final String DETECTED_BUILD = "if [ -x ./mvnw ]; then ./mvnw -B verify; "
            + "elif [ -f pom.xml ]; then mvn -B verify; "
            + "elif [ -x ./gradlew ]; then ./gradlew test; "
            + "elif [ -f package.json ]; then npm test; "
            + "elif [ -f Makefile ]; then make test; "
            + "else echo 'no build found (mvnw, pom.xml, gradlew, package.json, Makefile): configure a command validation engine'; exit 2; fi";

    private final String command;
    private final WorkspaceBroker workspaces;

    /** @param command the shell command, or {@code null} to detect the project's build */
    public AgentValidationEngine(String command, WorkspaceBroker workspaces) {
        this.command = command == null ? DETECTED_BUILD : command;
        this.workspaces = workspaces;
    }

    @Override
    public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
        String task = request.task().id();
        CompletableFuture<CommandRunner> workspace = workspaces.acquire(task);
        if (!workspace.isDone() && !workspaces.offerExpected()) {
            context.progress("waiting for a workspace: call voltValidate(task: '" + task
                    + "') inside node {}, or run voltWorkflow inside node {}");
        }
        CancellationToken.Registration stopWaiting = context.cancellation().onCancel(() -> workspace.cancel(false));
        return workspace
                .whenComplete((runner, error) -> stopWaiting.close())
                .thenCompose(runner -> {
                    context.progress("running the validation command in " + runner.describe());
                    return runner.run(run(request, context), context.cancellation(), context.blockingExecutor());
                })
                .thenApply(AgentValidationEngine::toValidationResult);
    }

    /** The tip validated on the agent of the workspace lent for every task; empty when none is lent now. */
    @Override
    public CompletionStage<Optional<ValidationResult>> validate(TipValidator.Tip tip, EngineContext context) {
        Optional<CommandRunner> lent = workspaces.lentForEveryTask();
        String sha = tip.head().substring(0, Math.min(10, tip.head().length()));
        if (lent.isEmpty()) {
            context.progress("no workspace is lent for the whole workflow (voltWorkflow inside node {}), so the tip "
                    + sha + " is not validated on an agent");
            return CompletableFuture.completedStage(Optional.empty());
        }
        CommandRunner runner = lent.get();
        context.progress("validating the tip " + sha + " in a clean checkout next to " + runner.describe());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("VOLT_WORKFLOW_ID", context.workflowId().value());
        environment.put("VOLT_TASK_ID", TipValidator.TASK_ID);
        environment.put("VOLT_TASK_TITLE", "The branch tip " + sha + ", all tasks together");
        environment.put("VOLT_IDEMPOTENCY_KEY", context.idempotencyKey());
        environment.put("VOLT_PATCH_FILE", ".volt/" + TipValidator.TASK_ID + ".patch");
        String ref = "refs/heads/" + tip.branch();
        CommandRunner.CommitRun run = new CommandRunner.CommitRun(
                command, environment, TipValidator.TASK_ID + ".patch", ref, tip.base(), tip.head(), whole -> {
                    Path file = Files.createTempFile(tip.repository().directory(), "tip-", ".bundle");
                    tip.repository().bundle(file, ref, whole ? null : tip.base(), context);
                    return file;
                });
        return runner.runAtCommit(run, context.cancellation(), context.blockingExecutor())
                .thenApply(AgentValidationEngine::toValidationResult)
                .thenApply(Optional::of);
    }

    private CommandRunner.CommandRun run(ValidationRequest request, EngineContext context) {
        String task = request.task().id();
        String patchFile = safeFileName(task) + ".patch";
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("VOLT_WORKFLOW_ID", context.workflowId().value());
        environment.put("VOLT_TASK_ID", task);
        environment.put("VOLT_TASK_TITLE", request.task().title());
        environment.put("VOLT_IDEMPOTENCY_KEY", context.idempotencyKey());
        environment.put("VOLT_PATCH_FILE", ".volt/" + patchFile);
        String patch = request.code() == null ? "" : request.code().patch();
        List<CommandRunner.DependencyPatch> dependencies = request.dependencies().stream()
                .filter(dependency -> !dependency.code().patch().isBlank())
                .map(dependency -> new CommandRunner.DependencyPatch(
                        dependency.taskId(),
                        safeFileName(dependency.taskId()) + ".patch",
                        dependency.code().patch()))
                .toList();
        return new CommandRunner.CommandRun(command, environment, patchFile, patch, dependencies);
    }

    static String safeFileName(String task) {
        String name = task.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "task" + name : name;
    }

    private static ValidationResult toValidationResult(CommandRunner.CommandResult result) {
        if (result.exitCode() < 0) {
            throw new EngineException(StepError.retryable(
                    StepError.ENGINE_UNAVAILABLE, "the validation command could not be run (agent disconnected?)"));
        }
        boolean passed = result.exitCode() == 0;
        List<String> findings = passed ? List.of() : result.lastLines();
        // A command is judged by its exit code: it counts no tests, so it reports no test failures either.
        return new ValidationResult(
                passed, 0, 0, 0, 0, "validation command exited with code " + result.exitCode(), findings, null);
    }
}
