package io.voltworkflow.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.TimeSource;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What an engine call knows about the step it serves. The {@link #idempotencyKey()} is stable per workflow and
 * step, across attempts and process restarts: engines send it with every request so a re-issued call is
 * deduplicated. A repair round of a task (see {@link RepairRound}) asks for new code, so it has a key of its own
 * (the step's key with {@code -r<round>}), equally stable within the round.
 */
public interface EngineContext {
    WorkflowId workflowId();

    String stepName();

    StepType stepType();

    String idempotencyKey();

    /** 1 for the first attempt. A step re-issued after a crash keeps its attempt number. */
    int attempt();

    /** When this attempt times out. */
    Instant attemptDeadline();

    JsonNode projectContext();

    CancellationToken cancellation();

    TimeSource time();

    /** For blocking work (processes, file I/O); never block the caller's thread. */
    Executor blockingExecutor();

    /** The last checkpoint this step saved, in this or an earlier attempt or process. */
    Optional<JsonNode> checkpoint();

    /**
     * Records a checkpoint durably (e.g. a submitted job's id) before the returned stage completes; {@code null}
     * clears it.
     */
    CompletionStage<Void> saveCheckpoint(@Nullable JsonNode checkpoint);

    /** A short progress line for the event log and console. */
    void progress(String message);

    /** Adds tokens and cost spent by this call to the step and workflow totals. */
    void recordUsage(Usage usage);

    /** Reproducibility data: model, parameters, provider request ids. Never a secret. */
    void recordProvenance(String key, String value);

    /** Whether the workflow's budget is spent; engines check before each paid call. */
    boolean budgetExhausted();

    /**
     * Why this step's previous attempt failed, when this attempt is a retry (also after a restart: it is part of the
     * step's durable state). Engines put it into their request, so a model that produced an unusable answer is told
     * what was wrong instead of being asked the same question again.
     */
    default Optional<StepError> previousAttemptError() {
        return Optional.empty();
    }

    /**
     * How many repair rounds the workflow allows a task whose validation fails ({@code maxRepairRounds}; 0: none).
     * A code generation request in a round carries its own {@code repair}; this is for a first pass.
     */
    default int maxRepairRounds() {
        return 0;
    }
}
