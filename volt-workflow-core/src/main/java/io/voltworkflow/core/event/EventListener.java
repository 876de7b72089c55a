package io.voltworkflow.core.event;

/**
 * Receives events on the event bus's delivery thread, never on the engine's. When a listener falls behind its
 * bounded queue, the overflow is counted and reported through {@link #onMissed(long, long)}, and those events are
 * read back from the store and delivered late, before the next event of their workflow: nothing is lost, and each
 * workflow's events arrive once, in sequence order.
 */
@FunctionalInterface
public interface EventListener {
    void onEvent(EventRecord event);

    /** {@code count} events overflowed this listener's queue ({@code totalMissed} so far); they come from the store. */
    default void onMissed(long count, long totalMissed) {}
}
