package io.voltworkflow.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One step as the status shows it. {@code durationMs} covers the last attempt, or is running time so far. For the
 * code generation and validation steps of a task, {@code repairRound} is the repair round they are in (0: first
 * pass) out of {@code maxRepairRounds}, and {@code repairFeedback} is the validation failure the round fixes.
 */
public record StepStatus(
        String name,
        String type,
        StepState state,
        List<String> dependencies,
        int attempts,
        int maxAttempts,
        String idempotencyKey,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Long durationMs,
        @Nullable String progressMessage,
        @Nullable StepError error,
        @Nullable JsonNode output,
        Usage usage,
        Map<String, String> provenance,
        int repairRound,
        int maxRepairRounds,
        @Nullable StepError repairFeedback) {

    public StepStatus {
        dependencies = List.copyOf(dependencies);
        provenance = Map.copyOf(provenance);
    }
}
