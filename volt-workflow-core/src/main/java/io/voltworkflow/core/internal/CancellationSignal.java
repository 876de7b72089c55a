package io.voltworkflow.core.internal;

import io.voltworkflow.core.engine.CancellationToken;
import java.util.ArrayList;
import java.util.List;

/** A one-shot cancellation flag with hooks; hooks run outside its lock. */
final class CancellationSignal implements CancellationToken {
  private final List<Runnable> hooks = new ArrayList<>();
  private volatile String reason;

  @Override
  public boolean isCancelled() {
    return reason != null;
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public Registration onCancel(Runnable hook) {
    synchronized (this) {
      if (reason == null) {
        hooks.add(hook);
        return () -> {
          synchronized (this) {
            hooks.remove(hook);
          }
        };
      }
    }
    hook.run();
    return () -> {};
  }

  void cancel(String why) {
    List<Runnable> toRun;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      toRun = List.copyOf(hooks);
      hooks.clear();
    }
    for (Runnable hook : toRun) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        // A failing hook must not keep the others from running; the step is cancelled either way.
      }
    }
  }
}
