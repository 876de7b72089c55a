package io.voltworkflow.core.store;

import io.voltworkflow.core.model.WorkflowId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Damage a store found in its own files, kept as a durable fact: compaction and restarts never erase it. Each damaged
 * workflow lists the sequences it lost; {@code skippedBytes} counts unreadable bytes ever skipped. Everything stays
 * reported as {@link #unacknowledged()} until an operator acknowledges it ({@link WorkflowStore#acknowledgeDamage});
 * the lost ranges themselves stay part of the workflows' history for good.
 */
public record DamageReport(List<WorkflowDamage> workflows, long skippedBytes, long unacknowledgedSkippedBytes) {
    public static final DamageReport NONE = new DamageReport(List.of(), 0, 0);

    public DamageReport {
        workflows = List.copyOf(workflows);
    }

    /** Whether there is damage no operator has acknowledged yet. */
    public boolean unacknowledged() {
        return unacknowledgedSkippedBytes > 0 || workflows.stream().anyMatch(w -> !w.acknowledged());
    }

    public long unacknowledgedWorkflows() {
        return workflows.stream().filter(w -> !w.acknowledged()).count();
    }

    /** The damage of one workflow, or {@code null}. */
    public @Nullable WorkflowDamage of(WorkflowId id) {
        return workflows.stream()
                .filter(w -> w.workflowId().equals(id))
                .findFirst()
                .orElse(null);
    }

    /**
     * The sequences one workflow lost. {@code recoverable} is false when the store holds neither a readable snapshot
     * nor the events that created it: the workflow cannot be rebuilt, and is reported rather than run.
     */
    public record WorkflowDamage(
            WorkflowId workflowId, List<LostRange> lost, boolean recoverable, boolean acknowledged) {
        public WorkflowDamage {
            lost = List.copyOf(lost);
        }
    }

    /**
     * Sequences {@code from..to} of a workflow are lost. {@code certain} is false for numbers set aside because events
     * may have been there (damage that could not be attributed): they are never used again either way.
     */
    public record LostRange(long from, long to, boolean certain, String reason) {}
}
