package io.voltworkflow.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.StepHandler;
import io.voltworkflow.core.engine.StepInvocation;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A custom step handler whose invocations wait until the test finishes them, so tests decide the interleaving.
 * It tracks concurrency and every invocation (step name, attempt, idempotency key) in order.
 */
public final class GatedSteps implements StepHandler {
    public record Invocation(
            String step,
            int attempt,
            String idempotencyKey,
            CompletableFuture<JsonNode> result,
            EngineContext context) {}

    private final List<Invocation> invocations = new ArrayList<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    @Override
    public synchronized CompletionStage<JsonNode> execute(StepInvocation invocation, EngineContext context) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        Invocation entry =
                new Invocation(context.stepName(), context.attempt(), context.idempotencyKey(), result, context);
        invocations.add(entry);
        running.put(context.stepName(), entry);
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        context.cancellation().onCancel(() -> {
            if (settle(entry)) {
                result.cancel(false);
            }
        });
        return result;
    }

    /** Bookkeeping before the result is delivered: the orchestrator reacts to it synchronously. */
    private boolean settle(Invocation entry) {
        if (running.remove(entry.step(), entry)) {
            concurrent.decrementAndGet();
            return true;
        }
        return false;
    }

    public synchronized List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    public List<String> runningSteps() {
        return running.keySet().stream().sorted().toList();
    }

    public boolean isRunning(String step) {
        return running.containsKey(step);
    }

    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    public void complete(String step) {
        Invocation entry = running.get(step);
        if (entry == null) {
            throw new IllegalStateException("step '" + step + "' is not running; running: " + runningSteps());
        }
        settle(entry);
        entry.result()
                .complete(WorkflowJson.mapper()
                        .createObjectNode()
                        .put("step", step)
                        .put("attempt", entry.attempt()));
    }

    public void fail(String step, StepError error) {
        failWith(step, new EngineException(error));
    }

    /** Fails the step the way a buggy engine does: with an exception it did not classify. */
    public void failWith(String step, Throwable unclassified) {
        Invocation entry = running.get(step);
        if (entry == null) {
            throw new IllegalStateException("step '" + step + "' is not running; running: " + runningSteps());
        }
        settle(entry);
        entry.result().completeExceptionally(unclassified);
    }
}
