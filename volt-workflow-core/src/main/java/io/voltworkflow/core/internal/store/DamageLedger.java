package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.DamageReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Every damage record in force (the latest per key), in memory: small, and rewritten whole by compaction. */
public final class DamageLedger {
    private final Map<String, DamageRecord> records = new LinkedHashMap<>();

    public synchronized void add(DamageRecord record) {
        records.put(record.key(), record);
    }

    public synchronized List<DamageRecord> records() {
        return List.copyOf(records.values());
    }

    public synchronized boolean contains(DamageRecord record) {
        return records.containsKey(record.key());
    }

    /** The lost ranges recorded for one workflow, by first sequence. */
    public synchronized List<DamageRecord> lossesOf(String workflowId) {
        List<DamageRecord> losses = new ArrayList<>();
        for (DamageRecord record : records.values()) {
            if (record.isLoss() && workflowId.equals(record.workflowId())) {
                losses.add(record);
            }
        }
        losses.sort(Comparator.comparingLong(DamageRecord::from));
        return losses;
    }

    /** The recorded loss of {@code workflowId} that contains {@code sequence}, or {@code null}. */
    public synchronized @Nullable DamageRecord lossAt(String workflowId, long sequence) {
        for (DamageRecord record : records.values()) {
            if (record.isLoss()
                    && workflowId.equals(record.workflowId())
                    && record.from() <= sequence
                    && sequence <= record.to()) {
                return record;
            }
        }
        return null;
    }

    /** The report; {@code rebuildable} tells whether a workflow's state can still be rebuilt from what remains. */
    public synchronized DamageReport report(java.util.function.Predicate<String> rebuildable) {
        Map<String, List<DamageRecord>> byWorkflow = new LinkedHashMap<>();
        long skipped = 0;
        long unacknowledgedSkipped = 0;
        for (DamageRecord record : records.values()) {
            if (record.isLoss()) {
                byWorkflow
                        .computeIfAbsent(record.workflowId(), id -> new ArrayList<>())
                        .add(record);
            } else {
                skipped += record.bytes();
                unacknowledgedSkipped += record.acknowledged() ? 0 : record.bytes();
            }
        }
        List<DamageReport.WorkflowDamage> workflows = new ArrayList<>();
        byWorkflow.forEach((id, losses) -> {
            losses.sort(Comparator.comparingLong(DamageRecord::from));
            workflows.add(new DamageReport.WorkflowDamage(
                    new WorkflowId(id),
                    losses.stream().map(DamageRecord::range).toList(),
                    rebuildable.test(id),
                    losses.stream().allMatch(DamageRecord::acknowledged)));
        });
        return new DamageReport(workflows, skipped, unacknowledgedSkipped);
    }
}
