package io.voltworkflow.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** The context of an engine call made outside a workflow: never cancelled, no budget, nothing recorded. */
final class BenchEngineContext implements EngineContext {
    private static final CancellationToken NEVER_CANCELLED = new CancellationToken() {
        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public @Nullable String reason() {
            return null;
        }

        @Override
        public Registration onCancel(Runnable hook) {
            return () -> {};
        }
    };

    private final TimeSource time;

    BenchEngineContext(TimeSource time) {
        this.time = time;
    }

    @Override
    public WorkflowId workflowId() {
        return WorkflowId.of("wf-bench");
    }

    @Override
    public String stepName() {
        return "validate";
    }

    @Override
    public StepType stepType() {
        return StepType.VALIDATION;
    }

    @Override
    public String idempotencyKey() {
        return "wf-bench/validate";
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public Instant attemptDeadline() {
        return time.now().plus(Duration.ofMinutes(1));
    }

    @Override
    public JsonNode projectContext() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public CancellationToken cancellation() {
        return NEVER_CANCELLED;
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
}
