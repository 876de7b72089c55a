package io.voltworkflow.core.event;

/** A registered listener; close it to stop delivery. */
public interface Subscription extends AutoCloseable {
  /** Events dropped for this listener because it fell behind. */
  long missedEvents();

  @Override
  void close();
}
