package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Mutable state of one step; guarded by its workflow's lock. */
final class StepRuntime {
    StepDefinition definition;
    final List<StepRuntime> dependents = new ArrayList<>();
    final String idempotencyKey;

    StepState state = StepState.PENDING;
    int attempts;

    @Nullable
    Instant startedAt;

    @Nullable
    Instant finishedAt;

    @Nullable
    Long durationMs;

    @Nullable
    JsonNode output;

    @Nullable
    StepError error;

    @Nullable
    JsonNode checkpoint;

    @Nullable
    String progressMessage;

    Usage usage = Usage.NONE;
    Map<String, String> provenance = Map.of();

    @Nullable
    Instant retryAt;
    /** The repair round this step is in, 0 on the first pass; code generation and validation of a task share it. */
    int repairRound;
    /** In a repair round of code generation: the round and the validation failure the new code must fix. */
    io.voltworkflow.core.engine.@Nullable RepairRound repair;

    /** Dependencies not yet completed. */
    int unfinishedDependencies;
    /** Steps on the longest path from here to a sink, this one included: the dispatch priority. */
    int criticalPath = 1;

    /** Process-local: the attempt running in this process, if any. */
    @Nullable
    Attempt current;
    /** Process-local: waiting in the ready queue or parked behind its workflow's bound. */
    boolean queued;
    /** Process-local: the timer that ends this step's backoff. */
    io.voltworkflow.core.time.TimeSource.@Nullable Timer retryTimer;
    /** Process-local: was running when the process stopped; issue again with the same attempt number. */
    boolean reissue;

    StepRuntime(StepDefinition definition, String idempotencyKey) {
        this.definition = definition;
        this.idempotencyKey = idempotencyKey;
    }

    String name() {
        return definition.name();
    }

    /** The error of a step known to have failed (or to be waiting to retry). */
    StepError failure() {
        StepError failed = error;
        if (failed == null) {
            throw new IllegalStateException("step '" + name() + "' is " + state.wireName() + " without an error");
        }
        return failed;
    }

    /** The output of a step known to have completed. */
    JsonNode completedOutput() {
        JsonNode completed = output;
        if (completed == null) {
            throw new IllegalStateException("step '" + name() + "' is " + state.wireName() + " without an output");
        }
        return completed;
    }

    /**
     * The key engines deduplicate this step's calls by: stable across attempts and restarts within a round, new for
     * each repair round, so an engine does not answer a repair with the result it cached for the rejected code.
     */
    String attemptKey() {
        return repairRound == 0 ? idempotencyKey : idempotencyKey + "-r" + repairRound;
    }
}
