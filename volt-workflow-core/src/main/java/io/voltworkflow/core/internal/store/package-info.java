/**
 * Internal: the file store's machinery, not API — segments of checksummed frames, the group-commit writer, the
 * index, torn-tail recovery on open and compaction. Use {@link io.voltworkflow.core.store.FileWorkflowStore}.
 */
package io.voltworkflow.core.internal.store;
