package io.voltworkflow.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the heap by every live thread since it started: the difference over a measurement is what the
 * work allocated, independent of machine load. A thread that ends during the measurement takes its count with it, so
 * measure while the pools doing the work are alive.
 */
public final class AllocatedBytes {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocatedBytes() {}

    public static long allThreads() {
        long total = 0;
        for (long allocated : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            if (allocated > 0) { // -1 for a thread that ended between listing and reading
                total += allocated;
            }
        }
        return total;
    }
}
