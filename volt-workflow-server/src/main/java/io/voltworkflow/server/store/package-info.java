/**
 * Public API for choosing a store: {@link io.voltworkflow.server.store.WorkflowStoreProvider} (one kind of store,
 * found on the class path), {@link io.voltworkflow.server.store.WorkflowStores} (those available) and
 * {@link io.voltworkflow.server.store.StoreSettings} (what a provider may use to open one).
 */
@NullMarked
package io.voltworkflow.server.store;

import org.jspecify.annotations.NullMarked;
