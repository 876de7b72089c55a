package io.voltworkflow.engines.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.TimeSource;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** The step's context with its own cancellation token: what a background job runs with. */
final class ForwardingContext implements EngineContext {
    private final EngineContext delegate;
    private final CancellationToken cancellation;

    ForwardingContext(EngineContext delegate, CancellationToken cancellation) {
        this.delegate = delegate;
        this.cancellation = cancellation;
    }

    @Override
    public WorkflowId workflowId() {
        return delegate.workflowId();
    }

    @Override
    public String stepName() {
        return delegate.stepName();
    }

    @Override
    public StepType stepType() {
        return delegate.stepType();
    }

    @Override
    public String idempotencyKey() {
        return delegate.idempotencyKey();
    }

    @Override
    public int attempt() {
        return delegate.attempt();
    }

    @Override
    public Instant attemptDeadline() {
        return delegate.attemptDeadline();
    }

    @Override
    public JsonNode projectContext() {
        return delegate.projectContext();
    }

    @Override
    public CancellationToken cancellation() {
        return cancellation;
    }

    @Override
    public TimeSource time() {
        return delegate.time();
    }

    @Override
    public Executor blockingExecutor() {
        return delegate.blockingExecutor();
    }

    @Override
    public Optional<JsonNode> checkpoint() {
        return delegate.checkpoint();
    }

    @Override
    public CompletionStage<Void> saveCheckpoint(@Nullable JsonNode checkpoint) {
        return delegate.saveCheckpoint(checkpoint);
    }

    @Override
    public void progress(String message) {
        delegate.progress(message);
    }

    @Override
    public void recordUsage(Usage usage) {
        delegate.recordUsage(usage);
    }

    @Override
    public void recordProvenance(String key, String value) {
        delegate.recordProvenance(key, value);
    }

    @Override
    public boolean budgetExhausted() {
        return delegate.budgetExhausted();
    }

    @Override
    public java.util.Optional<io.voltworkflow.core.model.StepError> previousAttemptError() {
        return delegate.previousAttemptError();
    }

    @Override
    public int maxRepairRounds() {
        return delegate.maxRepairRounds();
    }
}
