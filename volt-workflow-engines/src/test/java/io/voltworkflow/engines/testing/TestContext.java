package io.voltworkflow.engines.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.CancellationSource;
import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.TimeSource;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** An {@link EngineContext} that records everything an engine tells it, on a virtual clock. */
public final class TestContext implements EngineContext {
    private static final ExecutorService BLOCKING = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-blocking");
        thread.setDaemon(true);
        return thread;
    });

    public final VirtualTimeSource clock = new VirtualTimeSource();
    public final CancellationSource cancellation = new CancellationSource();
    public final List<String> progress = new CopyOnWriteArrayList<>();
    public final Map<String, String> provenance = new ConcurrentHashMap<>();
    public final List<Usage> usage = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> progressQueue = new LinkedBlockingQueue<>();
    private final WorkflowId workflowId;
    private final String stepName;
    private final StepType stepType;
    private volatile boolean budgetExhausted;
    private volatile StepError previousError;

    public TestContext(String workflowId, String stepName, StepType stepType) {
        this.workflowId = WorkflowId.of(workflowId);
        this.stepName = stepName;
        this.stepType = stepType;
    }

    public static TestContext step(StepType type) {
        return new TestContext("wf-1", type.id(), type);
    }

    /** This context as attempt 2 of a step whose first attempt failed with {@code error}. */
    public TestContext retryAfter(StepError error) {
        previousError = error;
        return this;
    }

    @Override
    public java.util.Optional<StepError> previousAttemptError() {
        return java.util.Optional.ofNullable(previousError);
    }

    public TestContext exhaustBudget() {
        budgetExhausted = true;
        return this;
    }

    /** Waits (bounded) for a progress line that matches; fails the test if none comes. */
    public String awaitProgress(Predicate<String> matching) throws InterruptedException {
        for (String line = progressQueue.poll(30, TimeUnit.SECONDS);
                line != null;
                line = progressQueue.poll(30, TimeUnit.SECONDS)) {
            if (matching.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no matching progress line within 30 s; saw " + progress);
    }

    /** Everything the engine reported, for leak checks. */
    public List<String> everythingRecorded() {
        List<String> all = new ArrayList<>(progress);
        provenance.forEach((key, value) -> all.add(key + "=" + value));
        usage.forEach(u -> all.add(u.toString()));
        return all;
    }

    @Override
    public WorkflowId workflowId() {
        return workflowId;
    }

    @Override
    public String stepName() {
        return stepName;
    }

    @Override
    public StepType stepType() {
        return stepType;
    }

    @Override
    public String idempotencyKey() {
        return workflowId.value() + ":" + stepName;
    }

    @Override
    public int attempt() {
        return previousError == null ? 1 : 2;
    }

    @Override
    public Instant attemptDeadline() {
        return clock.now().plus(Duration.ofHours(1));
    }

    @Override
    public JsonNode projectContext() {
        return null;
    }

    @Override
    public CancellationToken cancellation() {
        return cancellation;
    }

    @Override
    public TimeSource time() {
        return clock;
    }

    @Override
    public Executor blockingExecutor() {
        return BLOCKING;
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
    public void progress(String message) {
        progress.add(message);
        progressQueue.add(message);
    }

    @Override
    public void recordUsage(Usage spent) {
        usage.add(spent);
    }

    @Override
    public void recordProvenance(String key, String value) {
        provenance.put(key, value);
    }

    @Override
    public boolean budgetExhausted() {
        return budgetExhausted;
    }
}
