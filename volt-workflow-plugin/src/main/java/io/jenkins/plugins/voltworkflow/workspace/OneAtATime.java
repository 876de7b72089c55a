package io.jenkins.plugins.voltworkflow.workspace;

import io.voltworkflow.core.engine.CancellationToken;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs commands in one workspace one after the other. voltWorkflow inside {@code node {}} lends its workspace to
 * every task, and two validations applying their patches and building in the same directory would break each
 * other; queued, each sees the workspace as the one before left it. A command cancelled while it waits never runs.
 */
final class OneAtATime {

    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

    synchronized <T> CompletableFuture<T> submit(Supplier<CompletionStage<T>> command, CancellationToken cancellation) {
        CompletableFuture<T> next = last.handle((ignored, failure) -> null)
                .thenCompose(ignored -> cancellation.isCancelled()
                        ? CompletableFuture.<T>failedFuture(
                                new CancellationException("cancelled while waiting for the workspace"))
                        : command.get());
        last = next;
        return next;
    }
}
