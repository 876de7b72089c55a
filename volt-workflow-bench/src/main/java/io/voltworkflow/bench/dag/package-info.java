/**
 * Benchmark DAGs and their runners, not API: {@link io.voltworkflow.bench.dag.Dags}, the minimal
 * {@link io.voltworkflow.bench.dag.BaselineRunner} and {@link io.voltworkflow.bench.dag.VoltDags} through the
 * orchestrator.
 */
package io.voltworkflow.bench.dag;
