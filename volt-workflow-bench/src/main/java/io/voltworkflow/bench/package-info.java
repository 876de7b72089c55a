/**
 * The benchmark harness, not API: {@link io.voltworkflow.bench.Harness} runs {@link io.voltworkflow.bench.Scenario}s,
 * each measuring Volt next to a baseline in the same run, and prints {@link io.voltworkflow.bench.Figure}s with the
 * {@link io.voltworkflow.bench.Machine} as a {@link io.voltworkflow.bench.Report}.
 */
package io.voltworkflow.bench;
