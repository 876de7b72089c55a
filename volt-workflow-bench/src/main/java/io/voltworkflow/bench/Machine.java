package io.voltworkflow.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What the figures were measured on; printed next to them. */
public record Machine(
        int cores,
        long physicalMemoryBytes,
        long maxHeapBytes,
        String jdk,
        String os,
        double loadAverage,
        Instant date) {

    public static Machine current() {
        long physical = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            physical = os.getTotalMemorySize();
        }
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                physical,
                Runtime.getRuntime().maxMemory(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    public String describe() {
        return String.format(
                "%d cores, %.1f GiB RAM, max heap %.1f GiB, %s, %s, load average %.1f (other processes"
                        + " share the cores), %s",
                cores,
                physicalMemoryBytes / (double) (1L << 30),
                maxHeapBytes / (double) (1L << 30),
                jdk,
                os,
                loadAverage,
                date);
    }
}
