/**
 * The recovery scenario, not API: {@link io.voltworkflow.bench.recovery.RecoveryScenario}.
 */
package io.voltworkflow.bench.recovery;
