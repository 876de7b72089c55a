package io.jenkins.plugins.voltworkflow.workspace;

import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Validation by a command run on the agent, in a copy of a build workspace made for the task: the workspace comes
 * from the {@link WorkspaceBroker}, the patches of the tasks it depends on are applied to the copy, the task's own
 * patch is written to {@code .volt/<task>.patch}, and exit code 0 passes.
 * Without a configured command, the project's build is detected the way the built-in engine detects it.
 * The command sees {@code VOLT_WORKFLOW_ID}, {@code VOLT_TASK_ID}, {@code VOLT_TASK_TITLE},
 * {@code VOLT_IDEMPOTENCY_KEY} and {@code VOLT_PATCH_FILE}.
 */
public final class AgentValidationEngine implements ValidationEngine {

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
        if (!workspace.isDone()) {
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
