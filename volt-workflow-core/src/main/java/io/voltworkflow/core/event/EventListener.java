package io.voltworkflow.core.event;

/**
 * Receives events on the event bus's delivery thread, never on the engine's. A listener that falls behind its
 * bounded queue loses events; the loss is counted and reported through {@link #onMissed(long, long)} so the
 * listener can read them back from the store. Workflow-scoped subscriptions recover by themselves and never miss.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(EventRecord event);

  /** {@code count} events were dropped for this listener; {@code totalMissed} so far. */
  default void onMissed(long count, long totalMissed) {}
}
