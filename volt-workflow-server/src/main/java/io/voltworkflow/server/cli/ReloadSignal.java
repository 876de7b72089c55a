package io.voltworkflow.server.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads the configuration of {@code serve}, as daemons do. Closing restores the previous handler. Where the
 * platform has no SIGHUP (Windows), reloading is left to {@code POST /api/v1/admin/reload}.
 */
@SuppressWarnings("sunapi") // the JDK's only signal API; jdk.unsupported exports it for this use
final class ReloadSignal implements AutoCloseable {
    private static final Signal HUP = hangUp();

    private final SignalHandler previous;

    private ReloadSignal(SignalHandler previous) {
        this.previous = previous;
    }

    static ReloadSignal install(Runnable reload) {
        return new ReloadSignal(HUP == null ? null : Signal.handle(HUP, signal -> reload.run()));
    }

    private static Signal hangUp() {
        try {
            return new Signal("HUP");
        } catch (IllegalArgumentException unsupported) {
            return null;
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(HUP, previous);
        }
    }
}
