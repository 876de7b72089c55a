package io.jenkins.plugins.voltworkflow.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.CancellationSource;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OneAtATimeTest {

    private final OneAtATime workspace = new OneAtATime();

    @Test
    void aCommandStartsOnlyOnceThePreviousOneEndedEvenIfItFailed() {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();

        CompletableFuture<Integer> one = workspace.submit(
                () -> {
                    started.incrementAndGet();
                    return first;
                },
                new CancellationSource());
        CompletableFuture<Integer> two = workspace.submit(
                () -> {
                    started.incrementAndGet();
                    return CompletableFuture.completedFuture(2);
                },
                new CancellationSource());

        assertThat(started).hasValue(1);
        assertThat(two).isNotDone();
        first.completeExceptionally(new IllegalStateException("build broke"));
        assertThat(one).isCompletedExceptionally();
        assertThat(two).isCompletedWithValue(2);
        assertThat(started).hasValue(2);
    }

    @Test
    void aCommandCancelledWhileWaitingNeverRuns() {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CancellationSource cancelled = new CancellationSource();
        AtomicInteger started = new AtomicInteger();
        workspace.submit(() -> first, new CancellationSource());
        CompletableFuture<Integer> waiting = workspace.submit(
                () -> {
                    started.incrementAndGet();
                    return CompletableFuture.completedFuture(2);
                },
                cancelled);

        cancelled.cancel("workflow cancelled");
        first.complete(1);

        assertThat(waiting).isCompletedExceptionally();
        Throwable failure = waiting.handle((value, error) -> error).join();
        assertThat(failure instanceof CompletionException ? failure.getCause() : failure)
                .isInstanceOf(CancellationException.class);
        assertThat(started).hasValue(0);
    }
}
