package io.voltworkflow.bench;

import java.util.Arrays;

/** Order statistics of samples; the arrays are sorted in place. */
public final class Stats {
    private Stats() {}

    public static double median(double[] samples) {
        return percentile(samples, 50);
    }

    /** Nearest-rank percentile. */
    public static double percentile(double[] samples, double percent) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        Arrays.sort(samples);
        int rank = (int) Math.ceil(percent / 100.0 * samples.length);
        return samples[Math.max(0, Math.min(samples.length - 1, rank - 1))];
    }
}
