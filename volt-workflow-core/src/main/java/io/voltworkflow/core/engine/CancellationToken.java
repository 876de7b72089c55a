package io.voltworkflow.core.engine;

import org.jspecify.annotations.Nullable;

/**
 * Tells an engine call that its step was cancelled (workflow cancelled, attempt timed out, workflow failed). Engines
 * register a hook that aborts their in-flight work: cancel the HTTP call, kill the process tree.
 */
public interface CancellationToken {
    boolean isCancelled();

    /** Why, once cancelled; {@code null} before. */
    @Nullable
    String reason();

    /** Runs {@code hook} once when cancelled (at once if already cancelled). Closing the handle unregisters it. */
    Registration onCancel(Runnable hook);

    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
