package io.voltworkflow.core.status;

/**
 * How loaded the orchestrator is right now: steps waiting for a free slot, steps running, and events queued for
 * listeners that have not taken them yet (the event bus backlog).
 */
public record DispatchStats(int readySteps, int runningSteps, long eventBacklog) {}
