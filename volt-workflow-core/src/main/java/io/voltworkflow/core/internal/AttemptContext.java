package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.TimeSource;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The engine's view of one attempt. Whatever an engine reports (progress, checkpoints, usage, provenance) is
 * recorded only while the attempt is still its step's current one, so a late report from a timed-out or cancelled
 * attempt changes nothing.
 */
final class AttemptContext implements EngineContext {
    static final int MAX_PROGRESS_LENGTH = 500;
    private static final int MAX_PROVENANCE_ENTRIES = 64;

    private final Attempt attempt;
    private final StepInputs inputs;
    private final Optional<JsonNode> checkpoint;
    private final OrchestratorOptions options;
    private final Executor blocking;
    private final Workflows workflows;
    private final Journal journal;
    private final Optional<StepError> previousError;

    AttemptContext(
            Attempt attempt,
            StepInputs inputs,
            Optional<JsonNode> checkpoint,
            Optional<StepError> previousError,
            OrchestratorOptions options,
            Executor blocking,
            Workflows workflows,
            Journal journal) {
        this.previousError = previousError;
        this.attempt = attempt;
        this.inputs = inputs;
        this.checkpoint = checkpoint;
        this.options = options;
        this.blocking = blocking;
        this.workflows = workflows;
        this.journal = journal;
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    @Override
    public Optional<StepError> previousAttemptError() {
        return previousError;
    }

    @Override
    public int maxRepairRounds() {
        return workflows.guarded(
                attempt.workflow, () -> attempt.workflow.options.repair().maxRounds());
    }

    @Override
    public WorkflowId workflowId() {
        return attempt.workflow.id;
    }

    @Override
    public String stepName() {
        return attempt.step.name();
    }

    @Override
    public StepType stepType() {
        return inputs.definition().type();
    }

    @Override
    public String idempotencyKey() {
        return attempt.step.attemptKey();
    }

    @Override
    public int attempt() {
        return attempt.number;
    }

    @Override
    public Instant attemptDeadline() {
        return attempt.deadline;
    }

    @Override
    public JsonNode projectContext() {
        return inputs.projectContext();
    }

    @Override
    public CancellationToken cancellation() {
        return attempt.cancellation;
    }

    @Override
    public TimeSource time() {
        return options.timeSource();
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    @Override
    public Optional<JsonNode> checkpoint() {
        return checkpoint;
    }

    @Override
    public CompletionStage<Void> saveCheckpoint(@Nullable JsonNode value) {
        return workflows.locked(attempt.workflow, () -> {
            if (attempt.finished) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            journal.emit(attempt.workflow, new WorkflowEvent.StepCheckpointed(attempt.step.name(), value));
            journal.commit(attempt.workflow);
            return attempt.workflow.lastAppend;
        });
    }

    @Override
    public void progress(String message) {
        if (!options.realTimeUpdates() || message == null) {
            return;
        }
        workflows.locked(attempt.workflow, () -> {
            if (!attempt.finished) {
                journal.emit(
                        attempt.workflow,
                        new WorkflowEvent.StepProgress(attempt.step.name(), truncate(message, MAX_PROGRESS_LENGTH)));
            }
            return null;
        });
    }

    @Override
    public void recordUsage(Usage usage) {
        workflows.guarded(attempt.workflow, () -> {
            attempt.usage = attempt.usage.plus(usage);
            return null;
        });
    }

    @Override
    public void recordProvenance(String key, String value) {
        workflows.guarded(attempt.workflow, () -> {
            Map<String, String> recorded = attempt.provenance();
            if (recorded.size() < MAX_PROVENANCE_ENTRIES || recorded.containsKey(key)) {
                attempt.putProvenance(truncate(key, 100), value == null ? "" : truncate(value, MAX_PROGRESS_LENGTH));
            }
            return null;
        });
    }

    @Override
    public boolean budgetExhausted() {
        return workflows.guarded(attempt.workflow, () -> {
            Usage spent = attempt.workflow.usage;
            for (StepRuntime s : attempt.workflow.steps) {
                if (s.current != null) {
                    spent = spent.plus(s.current.usage);
                }
            }
            return attempt.workflow.options.budget().isExhaustedBy(spent);
        });
    }
}
