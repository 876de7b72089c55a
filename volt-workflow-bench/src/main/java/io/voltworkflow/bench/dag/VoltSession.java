package io.voltworkflow.bench.dag;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs DAGs on default in-memory orchestrators with no-op engines, each replaced after
 * {@link #WORKFLOWS_PER_ORCHESTRATOR} workflows and closed (off the orchestrator's own threads) once its last
 * workflow ended: the in-memory store keeps every event, so a fresh orchestrator every so many workflows bounds the
 * heap. The definition is built once per DAG, as the baseline is handed a built DAG: turning a DAG into a
 * definition is the client's work, not the orchestrator's.
 */
public final class VoltSession implements DagRunner, AutoCloseable {
    public static final int WORKFLOWS_PER_ORCHESTRATOR = 10_000;

    private volatile @Nullable Built built;
    private @Nullable Generation current;

    private record Built(Dag dag, WorkflowDefinition definition) {}

    @Override
    @SuppressWarnings("ReferenceEquality") // a scenario runs one DAG object many times; building its definition is not
    // what the run measures, and comparing DAGs by value would cost as much as building it
    public CompletableFuture<Long> runTimed(Dag dag) {
        Built last = built;
        if (last == null || last.dag != dag) {
            last = new Built(dag, VoltDags.definition(dag, WorkflowOptions.DEFAULTS));
            built = last;
        }
        Generation generation = next();
        return VoltDags.runTimed(generation.orchestrator, last.definition)
                .whenComplete((ignored, error) -> generation.ended());
    }

    private synchronized Generation next() {
        if (current == null || current.started == WORKFLOWS_PER_ORCHESTRATOR) {
            if (current != null) {
                current.retire();
            }
            current = new Generation(WorkflowOrchestrator.create(
                    VoltDags.options(VoltDags.engines()).build()));
        }
        current.started++;
        current.inFlight.incrementAndGet();
        return current;
    }

    /** Called once every run has ended. */
    @Override
    public synchronized void close() {
        if (current != null && current.closed.compareAndSet(false, true)) {
            current.orchestrator.close();
        }
        current = null;
    }

    private static final class Generation {
        final WorkflowOrchestrator orchestrator;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean retired;
        int started;

        Generation(WorkflowOrchestrator orchestrator) {
            this.orchestrator = orchestrator;
        }

        void ended() {
            if (inFlight.decrementAndGet() == 0 && retired) {
                closeOnce();
            }
        }

        void retire() {
            retired = true;
            if (inFlight.get() == 0) {
                closeOnce();
            }
        }

        private void closeOnce() {
            if (closed.compareAndSet(false, true)) {
                var unused = CompletableFuture.runAsync(orchestrator::close); // not on the completing step's thread
            }
        }
    }
}
