package io.voltworkflow.server;

/** Stops something that was started (monitoring, a subscription); stopping twice is harmless. */
@FunctionalInterface
public interface StopHandle extends AutoCloseable {
    void stop();

    @Override
    default void close() {
        stop();
    }
}
