package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.TaskSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the NLP engine understood: a summary, the individual requirements, and optionally the tasks it already
 * sees (task creation may refine them). {@code details} carries engine-specific data.
 */
public record AnalysisResult(
        String summary,
        List<String> requirements,
        List<TaskSpec> proposedTasks,
        @Nullable String complexity,
        @Nullable JsonNode details) {
    public AnalysisResult {
        summary = summary == null ? "" : summary;
        requirements = List.copyOf(requirements == null ? List.of() : requirements);
        proposedTasks = List.copyOf(proposedTasks == null ? List.of() : proposedTasks);
    }
}
