package io.voltworkflow.bench;

import java.nio.file.Path;

/**
 * How much work a scenario does: {@code scale} multiplies its base work (1, 10, 100, 1000); {@code quick} cuts
 * warm-up and repetitions (smoke runs, not publishable figures); scenarios that need disk work under
 * {@code workDir}; {@code profiler} wraps the phases whose figures measure our runner ({@link Profiler#off()} unless
 * {@code --profile} is given).
 */
public record RunSettings(int scale, boolean quick, Path workDir, Profiler profiler) {
    public RunSettings {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, was " + scale);
        }
    }

    /** {@code full} normally, {@code quickValue} in a quick run. */
    public int pick(int full, int quickValue) {
        return quick ? quickValue : full;
    }
}
