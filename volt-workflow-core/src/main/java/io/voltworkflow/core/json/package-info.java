/**
 * Public API: {@link io.voltworkflow.core.json.WorkflowJson}, the one JSON mapping of the model, events and status
 * shared by stores, the server and the plugin.
 */
@NullMarked
package io.voltworkflow.core.json;

import org.jspecify.annotations.NullMarked;
