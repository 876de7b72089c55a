package io.voltworkflow.core.event;

/** A registered listener; close it to stop delivery. */
public interface Subscription extends AutoCloseable {
    /** Events that overflowed this listener's queue and were read back from the store instead. */
    long missedEvents();

    @Override
    void close();
}
