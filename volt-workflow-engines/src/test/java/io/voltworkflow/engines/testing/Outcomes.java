package io.voltworkflow.engines.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits (bounded) for an engine's completion stage. */
public final class Outcomes {
    private Outcomes() {}

    public static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success but the engine failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the engine did not complete within 30 s", e);
        }
    }

    /** The classified error the stage failed with. */
    public static StepError failure(CompletionStage<?> stage) {
        EngineException failure = exception(stage);
        return failure.error();
    }

    public static EngineException exception(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure but the engine returned " + value);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(EngineException.class);
            return (EngineException) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the engine did not complete within 30 s", e);
        }
    }
}
