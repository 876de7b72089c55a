package io.voltworkflow.server.store;

import io.voltworkflow.core.store.WorkflowStore;

/**
 * Opens one kind of workflow store, selected by {@link #name()} with {@code --store NAME}. The server ships
 * {@code file} (the default) and {@code memory}; other modules add theirs (e.g. {@code postgres}) by listing an
 * implementation in {@code META-INF/services/io.voltworkflow.server.store.WorkflowStoreProvider}.
 */
public interface WorkflowStoreProvider {
    /** Lower-case name used on the command line. */
    String name();

    /** One line for {@code --help}. */
    String description();

    /** Opens the store; a bad setting raises {@link IllegalArgumentException} naming it. */
    WorkflowStore open(StoreSettings settings);
}
