package io.voltworkflow.bench.dag;

/** Which ready step goes first when concurrency is bounded. */
public enum Dispatch {
    /** The ready step with the longest remaining path to the end of the DAG (HLFET list scheduling). */
    CRITICAL_PATH_FIRST,
    /** Ready steps in the order they became ready. */
    FIFO
}
