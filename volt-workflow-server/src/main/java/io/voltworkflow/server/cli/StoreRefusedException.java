package io.voltworkflow.server.cli;

/** The store would not open (damaged beyond what it can skip, locked by another process, unreachable): exit 78. */
final class StoreRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreRefusedException(String message) {
        super(message, null, false, false);
    }
}
