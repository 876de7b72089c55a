package io.voltworkflow.bench.dag;

import io.voltworkflow.core.time.TimeSource;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The in-process limit: the least a DAG runner can do. It counts unfinished dependencies on an
 * {@link AtomicIntegerArray}, starts a step when its count reaches zero and chains on the step's
 * {@link CompletableFuture}; it keeps no state beyond that, records no event and persists nothing. Like any runner
 * that must not run user code on the thread that completed the previous step, it hands each step to
 * {@code executor}. With a bound it keeps a ready queue ordered by {@link Dispatch}.
 */
public final class BaselineRunner {
    private final Executor executor;
    private final StepAction action;
    private final int maxConcurrent;
    private final Dispatch dispatch;

    /** What a step does; the future completes when the step is done. */
    @FunctionalInterface
    public interface StepAction {
        CompletableFuture<?> execute(Dag.Node node);

        /** Waits the node's latency on {@code time}; a zero latency completes at once. */
        static StepAction waitLatency(TimeSource time) {
            return node ->
                    node.latency().isZero() ? CompletableFuture.completedFuture(null) : time.delay(node.latency());
        }
    }

    /** Steps wait their latency on {@code time}; {@code maxConcurrent = 0}: unbounded. */
    public BaselineRunner(Executor executor, TimeSource time, int maxConcurrent, Dispatch dispatch) {
        this(executor, StepAction.waitLatency(time), maxConcurrent, dispatch);
    }

    public BaselineRunner(Executor executor, StepAction action, int maxConcurrent, Dispatch dispatch) {
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("maxConcurrent must not be negative, was " + maxConcurrent);
        }
        this.executor = executor;
        this.action = action;
        this.maxConcurrent = maxConcurrent;
        this.dispatch = dispatch;
    }

    /** Runs the DAG once; the future completes when its last step has. */
    public CompletableFuture<Void> run(Dag dag) {
        return new Run(dag).start();
    }

    private final class Run {
        private final Dag dag;
        private final List<List<Integer>> successors;
        private final AtomicIntegerArray remainingDependencies;
        private final AtomicInteger finished = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Only used with a bound; guarded by {@code this}. */
        private final Queue<Integer> ready;

        private int running;

        Run(Dag dag) {
            this.dag = dag;
            this.successors = dag.successors();
            this.remainingDependencies = new AtomicIntegerArray(dag.size());
            for (Dag.Node node : dag.nodes()) {
                remainingDependencies.set(node.index(), node.dependencies().size());
            }
            if (dispatch == Dispatch.CRITICAL_PATH_FIRST) {
                long[] levels = dag.bottomLevelsNanos();
                Comparator<Integer> longestPathFirst = Comparator.comparingLong(i -> -levels[i]);
                this.ready = new PriorityQueue<>(longestPathFirst.thenComparingInt(i -> i));
            } else {
                this.ready = new ArrayDeque<>();
            }
        }

        CompletableFuture<Void> start() {
            if (dag.size() == 0) {
                done.complete(null);
                return done;
            }
            for (Dag.Node node : dag.nodes()) {
                if (node.dependencies().isEmpty()) {
                    becameReady(node.index());
                }
            }
            dispatchReady();
            return done;
        }

        private void becameReady(int index) {
            if (maxConcurrent == 0) {
                launch(index);
            } else {
                synchronized (this) {
                    ready.add(index);
                }
            }
        }

        private void dispatchReady() {
            if (maxConcurrent == 0) {
                return;
            }
            while (true) {
                int next;
                synchronized (this) {
                    if (ready.isEmpty() || running >= maxConcurrent) {
                        return;
                    }
                    next = ready.poll();
                    running++;
                }
                launch(next);
            }
        }

        @SuppressWarnings("FutureReturnValueIgnored") // finish() receives the outcome
        private void launch(int index) {
            Dag.Node node = dag.nodes().get(index);
            executor.execute(() -> action.execute(node).whenComplete((ignored, error) -> finish(index, error)));
        }

        private void finish(int index, Throwable error) {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            if (maxConcurrent > 0) {
                synchronized (this) {
                    running--;
                }
            }
            for (int successor : successors.get(index)) {
                if (remainingDependencies.decrementAndGet(successor) == 0) {
                    becameReady(successor);
                }
            }
            if (finished.incrementAndGet() == dag.size()) {
                done.complete(null);
            } else {
                dispatchReady();
            }
        }
    }
}
