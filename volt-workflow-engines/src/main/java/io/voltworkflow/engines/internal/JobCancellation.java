package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.CancellationToken;
import java.util.ArrayList;
import java.util.List;

/**
 * A cancellation token for a background job: cancelled by an explicit {@link #cancel(String)} (the engine's
 * {@code cancel(job)}) or when the token of the step that submitted the job is cancelled.
 */
public final class JobCancellation implements CancellationToken {
  private final List<Runnable> hooks = new ArrayList<>();
  private final Registration parentRegistration;
  private String reason;

  public JobCancellation(CancellationToken parent) {
    this.parentRegistration = parent.onCancel(() -> cancel(parent.reason() == null ? "step cancelled" : parent.reason()));
  }

  public void cancel(String why) {
    List<Runnable> toRun;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      toRun = List.copyOf(hooks);
      hooks.clear();
    }
    toRun.forEach(Runnable::run);
  }

  /** Stops following the parent token once the job is over. */
  public void detach() {
    parentRegistration.close();
  }

  @Override
  public synchronized boolean isCancelled() {
    return reason != null;
  }

  @Override
  public synchronized String reason() {
    return reason;
  }

  @Override
  public Registration onCancel(Runnable hook) {
    synchronized (this) {
      if (reason == null) {
        hooks.add(hook);
        return () -> {
          synchronized (JobCancellation.this) {
            hooks.remove(hook);
          }
        };
      }
    }
    hook.run();
    return () -> {};
  }
}
