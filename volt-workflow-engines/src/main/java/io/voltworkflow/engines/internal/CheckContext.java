package io.voltworkflow.engines.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.core.engine.CancellationSource;
import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.SystemTimeSource;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The context of a check made before any workflow runs (a delivery's base branch and remote, say): the caller's
 * thread blocks, nothing is recorded, no budget applies. Progress lines are dropped: a check answers with its result.
 */
public final class CheckContext implements EngineContext, AutoCloseable {
    private static final WorkflowId NO_WORKFLOW = WorkflowId.of("check");

    private final String name;
    private final SystemTimeSource time = new SystemTimeSource();
    private final CancellationSource cancellation = new CancellationSource();

    public CheckContext(String name) {
        this.name = name;
    }

    @Override
    public WorkflowId workflowId() {
        return NO_WORKFLOW;
    }

    @Override
    public String stepName() {
        return name;
    }

    @Override
    public StepType stepType() {
        return StepType.COMPLETION;
    }

    @Override
    public String idempotencyKey() {
        return name;
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public Instant attemptDeadline() {
        return time.now().plus(Duration.ofMinutes(10));
    }

    @Override
    public JsonNode projectContext() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public CancellationToken cancellation() {
        return cancellation;
    }

    @Override
    public TimeSource time() {
        return time;
    }

    @Override
    public Executor blockingExecutor() {
        return Runnable::run;
    }

    @Override
    public Optional<JsonNode> checkpoint() {
        return Optional.empty();
    }

    @Override
    public CompletionStage<Void> saveCheckpoint(@Nullable JsonNode checkpoint) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void progress(String message) {}

    @Override
    public void recordUsage(Usage usage) {}

    @Override
    public void recordProvenance(String key, String value) {}

    @Override
    public boolean budgetExhausted() {
        return false;
    }

    @Override
    public void close() {
        time.close();
    }
}
