package io.voltworkflow.server.cli;

import org.jspecify.annotations.Nullable;

/** The command line is wrong; the message says how (exit code 64, EX_USAGE). */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(@Nullable String message) {
        super(message, null, false, false);
    }
}
