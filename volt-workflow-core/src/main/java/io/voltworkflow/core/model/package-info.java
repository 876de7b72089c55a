/**
 * Public API: the workflow model — {@link io.voltworkflow.core.model.WorkflowDefinition} and its
 * {@link io.voltworkflow.core.model.StepDefinition}s, {@link io.voltworkflow.core.model.WorkflowOptions},
 * {@link io.voltworkflow.core.model.RetryPolicy} and {@link io.voltworkflow.core.model.Budget} as data, the states
 * and their transition table, {@link io.voltworkflow.core.model.StepError} (an error as a classified value) and
 * {@link io.voltworkflow.core.model.WorkflowValidator}, which names every problem of a definition.
 */
@NullMarked
package io.voltworkflow.core.model;

import org.jspecify.annotations.NullMarked;
