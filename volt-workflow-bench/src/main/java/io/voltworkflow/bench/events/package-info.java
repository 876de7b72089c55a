/**
 * Event delivery scenarios, not API: {@link io.voltworkflow.bench.events.InProcessEventsScenario} and
 * {@link io.voltworkflow.bench.events.WebSocketEventsScenario} against bare baselines.
 */
package io.voltworkflow.bench.events;
