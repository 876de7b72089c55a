package io.voltworkflow.core.store;

/** The store could not do what was asked (I/O failure, corruption, a conflicting writer). */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
