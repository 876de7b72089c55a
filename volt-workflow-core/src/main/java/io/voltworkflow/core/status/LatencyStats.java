package io.voltworkflow.core.status;

public record LatencyStats(long count, long p50Ms, long p90Ms, long p99Ms, long maxMs) {}
