package io.voltworkflow.store.postgres;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore.ReplayVisitor;
import java.util.ArrayList;
import java.util.List;

/** What a replay visited, as "snapshot wf-1@3" and "event wf-1@4" lines. */
final class ReplayRecorder implements ReplayVisitor {
    final List<String> visits = new ArrayList<>();
    final List<WorkflowSnapshot> snapshots = new ArrayList<>();

    @Override
    public void snapshot(WorkflowSnapshot snapshot) {
        visits.add("snapshot " + snapshot.workflowId() + "@" + snapshot.sequence());
        snapshots.add(snapshot);
    }

    @Override
    public void event(EventRecord record) {
        visits.add((record.event() instanceof io.voltworkflow.core.event.WorkflowEvent.HistoryLost lost
                        ? "lost " + record.workflowId() + "@" + lost.fromSequence() + ".."
                        : "event " + record.workflowId() + "@")
                + record.sequence());
    }
}
