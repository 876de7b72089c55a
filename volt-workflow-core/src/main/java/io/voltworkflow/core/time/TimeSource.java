package io.voltworkflow.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's only view of time: what time it is and running something later. Production uses
 * {@link SystemTimeSource}; tests use {@link VirtualTimeSource} so timeouts and backoff run without waiting.
 */
public interface TimeSource {
    Instant now();

    /** Runs {@code task} once after {@code delay}; cancelling the handle before then prevents it. */
    Timer schedule(Duration delay, Runnable task);

    /** A future completed after {@code delay}. */
    default CompletableFuture<Void> delay(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Timer timer = schedule(delay, () -> done.complete(null));
        done.whenComplete((ignored, error) -> timer.cancel());
        return done;
    }

    /** A scheduled task. */
    interface Timer {
        /** Returns {@code false} if the task already ran or was cancelled. */
        boolean cancel();
    }
}
