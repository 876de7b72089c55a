package io.voltworkflow.server.internal;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import java.util.List;

/**
 * Hands one workflow's events to a listener strictly in sequence, each once: an event ahead of the next expected
 * sequence first brings the missing ones from the store. The orchestrator's workflow subscriptions promise this
 * already; the guard keeps the integration API's promise even if a delivery race slips through (seen in core's
 * catch-up while live events arrive, reported to the core owner).
 */
public final class GapFreeListener implements EventListener {
  private static final int PAGE = 1000;

  private final WorkflowOrchestrator orchestrator;
  private final WorkflowId workflowId;
  private final EventListener target;
  private long lastDelivered;

  public GapFreeListener(WorkflowOrchestrator orchestrator, WorkflowId workflowId, long afterSequence,
      EventListener target) {
    this.orchestrator = orchestrator;
    this.workflowId = workflowId;
    this.lastDelivered = afterSequence;
    this.target = target;
  }

  @Override
  public synchronized void onEvent(EventRecord event) {
    while (event.sequence() > lastDelivered + 1) {
      List<EventRecord> missing = orchestrator.events(workflowId, lastDelivered,
          (int) Math.min(PAGE, event.sequence() - 1 - lastDelivered));
      if (missing.isEmpty()) {
        break;
      }
      missing.forEach(this::deliver);
    }
    deliver(event);
  }

  @Override
  public void onMissed(long count, long totalMissed) {
    target.onMissed(count, totalMissed);
  }

  private void deliver(EventRecord event) {
    if (event.sequence() > lastDelivered) {
      target.onEvent(event);
      lastDelivered = event.sequence();
    }
  }
}
