package io.voltworkflow.server.cli;

import io.voltworkflow.core.model.WorkflowState;

/** Process exit codes (documented in docs/cli.md); usage and service codes follow BSD sysexits. */
final class ExitCodes {
    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int CANCELLED = 2;
    static final int USAGE = 64;
    static final int UNAVAILABLE = 69;
    static final int SOFTWARE = 70;
    /** EX_TEMPFAIL: the data directory is held by another process; trying again later may work. */
    static final int IN_USE = 75;

    static final int CONFIG = 78;
    static final int INTERRUPTED = 130;

    private ExitCodes() {}

    static int of(WorkflowState state) {
        return switch (state) {
            case COMPLETED -> COMPLETED;
            case CANCELLED -> CANCELLED;
            default -> FAILED;
        };
    }
}
