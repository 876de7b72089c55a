/**
 * Public API: options and statistics of {@link io.voltworkflow.core.store.FileWorkflowStore}.
 */
package io.voltworkflow.core.store.file;
