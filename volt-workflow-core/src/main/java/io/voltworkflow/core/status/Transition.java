package io.voltworkflow.core.status;

import io.voltworkflow.core.model.WorkflowState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One entry of a workflow's bounded state history. */
public record Transition(@Nullable WorkflowState from, WorkflowState to, Instant at, String reason) {}
