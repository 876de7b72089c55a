/**
 * Public API: options and statistics of {@link io.voltworkflow.core.store.FileWorkflowStore}.
 */
@NullMarked
package io.voltworkflow.core.store.file;

import org.jspecify.annotations.NullMarked;
