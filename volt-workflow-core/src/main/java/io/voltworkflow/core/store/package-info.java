/**
 * Public API for durability: {@link io.voltworkflow.core.store.WorkflowStore} (an append-only event log per workflow
 * plus snapshots, with group commit), its two embedded implementations
 * {@link io.voltworkflow.core.store.FileWorkflowStore} and {@link io.voltworkflow.core.store.InMemoryWorkflowStore},
 * {@link io.voltworkflow.core.store.EventCodec} (the record encoding every store uses) and
 * {@link io.voltworkflow.core.store.LeaseManager} for stores shared by several instances.
 */
@NullMarked
package io.voltworkflow.core.store;

import org.jspecify.annotations.NullMarked;
