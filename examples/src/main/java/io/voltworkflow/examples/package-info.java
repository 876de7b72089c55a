/**
 * Runnable examples of the public API, one {@code main} each: {@link io.voltworkflow.examples.BasicWorkflow},
 * {@link io.voltworkflow.examples.CicdPipeline}, {@link io.voltworkflow.examples.ErrorRecovery} and
 * {@link io.voltworkflow.examples.MonitoringDashboard}, on the engines of
 * {@link io.voltworkflow.examples.ExampleEngines}.
 */
package io.voltworkflow.examples;
