package io.voltworkflow.core.model;

/** What engine calls consumed, as providers report it. Cost is 0 where the provider reports none. */
public record Usage(long inputTokens, long outputTokens, double costUsd) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || !(costUsd >= 0)) {
            throw new IllegalArgumentException("usage must not be negative: inputTokens=" + inputTokens
                    + ", outputTokens=" + outputTokens + ", costUsd=" + costUsd);
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public Usage plus(Usage other) {
        // Most steps consume nothing (no-op, command and test steps): adding nothing allocates nothing.
        if (other.inputTokens == 0 && other.outputTokens == 0 && other.costUsd == 0) {
            return this;
        }
        if (inputTokens == 0 && outputTokens == 0 && costUsd == 0) {
            return other;
        }
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, costUsd + other.costUsd);
    }
}
