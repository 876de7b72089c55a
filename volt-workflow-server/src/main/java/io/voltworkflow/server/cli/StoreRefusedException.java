package io.voltworkflow.server.cli;

import org.jspecify.annotations.Nullable;

/** The store would not open (damaged beyond what it can skip, locked by another process, unreachable): exit 78. */
final class StoreRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreRefusedException(@Nullable String message) {
        super(message, null, false, false);
    }
}
