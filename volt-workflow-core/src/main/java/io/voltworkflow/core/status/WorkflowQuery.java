package io.voltworkflow.core.status;

import io.voltworkflow.core.model.WorkflowState;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Filter and page for listing workflows, newest first. */
public record WorkflowQuery(
        Set<WorkflowState> states,
        @Nullable String labelKey,
        @Nullable String labelValue,
        int offset,
        int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final WorkflowQuery ALL = new WorkflowQuery(Set.of(), null, null, 0, 100);

    public WorkflowQuery {
        states = Set.copyOf(states == null ? Set.of() : states);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }
}
