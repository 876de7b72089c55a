package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Completion-stage helpers: engines report failures as failed stages carrying an {@link EngineException}. */
public final class Stages {
    private Stages() {}

    public static <T> CompletableFuture<T> failed(StepError error) {
        return CompletableFuture.failedFuture(new EngineException(error));
    }

    /** Runs {@code body}; an exception it throws becomes a failed stage instead of escaping to the caller. */
    public static <T> CompletionStage<T> guarded(java.util.function.Supplier<CompletionStage<T>> body) {
        try {
            return body.get();
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(internal(e));
        }
    }

    /** The {@link StepError} a failed stage carries; file-system trouble is an engine error, anything else a bug. */
    public static StepError errorOf(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof EngineException engine) {
            return engine.error();
        }
        return internal(cause).error();
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static EngineException internal(Throwable cause) {
        if (cause instanceof java.io.UncheckedIOException io) {
            return new EngineException(
                    StepError.recoverable(
                            StepError.ENGINE_ERROR,
                            io.getMessage() + ": "
                                    + Objects.requireNonNull(io.getCause(), "an UncheckedIOException has a cause")
                                            .getMessage()),
                    cause);
        }
        return new EngineException(
                StepError.fatal(
                        StepError.INTERNAL_ERROR,
                        "engine bug: " + cause.getClass().getSimpleName()),
                cause);
    }
}
