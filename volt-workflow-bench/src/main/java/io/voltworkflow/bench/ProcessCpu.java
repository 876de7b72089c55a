package io.voltworkflow.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of the whole process, every thread included (pools, timer, store writer, JIT, GC): on a machine other
 * processes share, it is what their load inflates least, so it compares runs that wall time cannot.
 */
public final class ProcessCpu {
    private ProcessCpu() {}

    public static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
