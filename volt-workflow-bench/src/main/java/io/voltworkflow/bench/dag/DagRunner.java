package io.voltworkflow.bench.dag;

import java.util.concurrent.CompletableFuture;

/** Runs one DAG and reports the nanoseconds from start to the end of its last step. */
@FunctionalInterface
public interface DagRunner {
    CompletableFuture<Long> runTimed(Dag dag);

    static DagRunner of(BaselineRunner runner) {
        return dag -> {
            long started = System.nanoTime();
            return runner.run(dag).thenApply(ignored -> System.nanoTime() - started);
        };
    }
}
