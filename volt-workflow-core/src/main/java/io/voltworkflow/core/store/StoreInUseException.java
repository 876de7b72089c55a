package io.voltworkflow.core.store;

import java.nio.file.Path;

/**
 * Another store (in this process or another one) has the store directory open; nothing was read or changed. Hosts
 * show it as one line: who holds the directory and what to do.
 */
public final class StoreInUseException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final String holder;

    public StoreInUseException(Path directory, String holder, Path lockFile) {
        super("store directory " + directory + " is already in use by " + holder + " (lock " + lockFile
                + "); one store at a time may open a directory");
        this.directory = directory;
        this.holder = holder;
    }

    public Path directory() {
        return directory;
    }

    /** Who holds the directory as its lock file says, e.g. {@code process 4242}. */
    public String holder() {
        return holder;
    }
}
