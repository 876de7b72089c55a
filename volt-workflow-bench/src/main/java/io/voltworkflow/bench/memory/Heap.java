package io.voltworkflow.bench.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Live heap as the JVM reports it after full collections. */
final class Heap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Heap() {}

    /**
     * Collects until the used heap stops shrinking (at most five rounds) and returns it; reference processing and
     * finalizable objects need more than one round to go.
     */
    static long usedAfterGc() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            MEMORY.gc();
            Thread.sleep(50);
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (used >= previous - previous / 200) {
                return Math.min(used, previous);
            }
            previous = used;
        }
        return previous;
    }
}
