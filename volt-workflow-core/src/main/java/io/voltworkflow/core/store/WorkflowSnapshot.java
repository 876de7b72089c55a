package io.voltworkflow.core.store;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;

/** A workflow's full state after {@code sequence}, encoded by the engine; stores keep it opaque. */
public record WorkflowSnapshot(WorkflowId workflowId, long sequence, Instant takenAt, byte[] state) {}
