/**
 * Public API of the engine: {@link io.voltworkflow.core.WorkflowOrchestrator} (create, start, pause, resume, cancel,
 * query, subscribe), its immutable {@link io.voltworkflow.core.OrchestratorOptions} with a validating builder, and
 * the exceptions a lifecycle call raises ({@link io.voltworkflow.core.WorkflowNotFoundException},
 * {@link io.voltworkflow.core.IllegalTransitionException}, {@link io.voltworkflow.core.DuplicateWorkflowException}).
 * The machinery behind it lives in {@code io.voltworkflow.core.internal} and is not API. In every public package
 * a value may be null only where its type says {@code @Nullable}.
 */
@NullMarked
package io.voltworkflow.core;

import org.jspecify.annotations.NullMarked;
