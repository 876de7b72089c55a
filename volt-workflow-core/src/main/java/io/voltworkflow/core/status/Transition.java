package io.voltworkflow.core.status;

import io.voltworkflow.core.model.WorkflowState;
import java.time.Instant;

/** One entry of a workflow's bounded state history. */
public record Transition(WorkflowState from, WorkflowState to, Instant at, String reason) {}
