package io.voltworkflow.engines.delivery;

import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.engines.delivery.git.GitRepository;
import io.voltworkflow.engines.internal.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Validates a branch tip the way a reviewer would check it: a clean working tree of exactly that commit (a detached
 * {@code git worktree}, nothing of the workspace in it), the tasks' validation engine run there once for the whole
 * branch. The checkout has a fixed place per workflow and repository, so one left behind by a killed process is
 * replaced by the next attempt; it is removed when validation ends either way.
 */
final class TipValidation {
    private TipValidation() {}

    /** The verdict, or empty when {@code engine} cannot validate a local checkout. */
    static CompletionStage<Optional<ValidationResult>> run(
            ValidationEngine engine, TipValidator.Tip tip, EngineContext context) {
        GitRepository repository = tip.repository();
        Path checkout = checkoutDirectory(repository, context.workflowId());
        return CompletableFuture.runAsync(
                        () -> repository.addDetachedWorktree(checkout, tip.head(), context), context.blockingExecutor())
                .thenCompose(ignored -> validate(engine, checkout, tip, context))
                .handleAsync(
                        (result, error) -> {
                            remove(repository, checkout, context);
                            if (error != null) {
                                throw error instanceof CompletionException completion
                                        ? completion
                                        : new CompletionException(error);
                            }
                            return result;
                        },
                        context.blockingExecutor());
    }

    private static CompletionStage<Optional<ValidationResult>> validate(
            ValidationEngine engine, Path checkout, TipValidator.Tip tip, EngineContext context) {
        String head = tip.head();
        List<String> files = tip.changedFiles();
        // The whole branch as one task: its changed files are every file the branch changes against its base.
        ValidationRequest request = new ValidationRequest(
                context.projectContext(),
                new TaskSpec(
                        TipValidator.TASK_ID,
                        "The branch tip " + GitDelivery.shortSha(head) + ", all tasks together",
                        "",
                        List.of(),
                        List.of(),
                        files),
                new CodegenResult(
                        "the branch tip " + head + ", all tasks together", "", files, null, "", Json.object()));
        Optional<CompletionStage<ValidationResult>> run = engine.validateCheckout(checkout, request, context);
        if (run.isEmpty()) {
            context.progress("the validation engine cannot run on a checkout; comparing the tip with the workspace");
            return CompletableFuture.completedStage(Optional.empty());
        }
        context.progress("validating the tip " + GitDelivery.shortSha(head) + " in a clean checkout, " + checkout);
        return run.get().thenApply(Optional::of);
    }

    private static void remove(GitRepository repository, Path checkout, EngineContext context) {
        try {
            repository.removeWorktree(checkout, context);
        } catch (RuntimeException e) {
            // The next validation of this workflow's tip replaces it; a leftover checkout holds no secret.
            context.progress("could not remove the checkout " + checkout + ": " + e.getMessage());
        }
    }

    static Path checkoutDirectory(GitRepository repository, WorkflowId workflow) {
        String name = workflow.value().replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("volt-tip-" + name + "-"
                        + Integer.toHexString(repository.directory().hashCode()));
    }
}
