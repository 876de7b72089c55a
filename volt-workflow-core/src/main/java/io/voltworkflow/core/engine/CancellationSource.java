package io.voltworkflow.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link CancellationToken} implementation: a one-shot flag with hooks, cancelled by its owner. Hooks run
 * on the cancelling thread, outside the source's lock, each once; a failing hook does not stop the others. Engines
 * use {@link #following} for background work that must stop with its step but may also be cancelled on its own.
 */
public final class CancellationSource implements CancellationToken {
    private final List<Runnable> hooks = new ArrayList<>();
    private volatile @Nullable String reason;
    private Registration parentRegistration = () -> {};

    /** A source that is also cancelled when {@code parent} is; {@link #detach()} stops following it. */
    public static CancellationSource following(CancellationToken parent) {
        CancellationSource child = new CancellationSource();
        child.parentRegistration =
                parent.onCancel(() -> child.cancel(Objects.requireNonNullElse(parent.reason(), "cancelled")));
        return child;
    }

    @Override
    public boolean isCancelled() {
        return reason != null;
    }

    @Override
    public @Nullable String reason() {
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

    /** Cancels once; later calls are ignored. */
    public void cancel(String why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why == null ? "cancelled" : why;
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        for (Runnable hook : toRun) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.getLogger(CancellationSource.class.getName())
                        .log(System.Logger.Level.WARNING, "a cancellation hook failed", e);
            }
        }
    }

    /** Stops following the parent token (once the work it guarded is over). */
    public void detach() {
        parentRegistration.close();
    }
}
