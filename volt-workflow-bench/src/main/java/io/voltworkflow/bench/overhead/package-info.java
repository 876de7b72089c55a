/**
 * The in-process limit scenario, not API: {@link io.voltworkflow.bench.overhead.InProcessOverheadScenario}.
 */
package io.voltworkflow.bench.overhead;
