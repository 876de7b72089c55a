/**
 * JMH micro-benchmarks, not API: {@link io.voltworkflow.bench.jmh.EventCodecBenchmark} and
 * {@link io.voltworkflow.bench.jmh.StepOverheadBenchmark}.
 */
package io.voltworkflow.bench.jmh;
