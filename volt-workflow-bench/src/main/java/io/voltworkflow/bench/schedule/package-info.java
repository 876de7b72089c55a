/**
 * The schedule quality scenario, not API: {@link io.voltworkflow.bench.schedule.ScheduleQualityScenario}.
 */
package io.voltworkflow.bench.schedule;
