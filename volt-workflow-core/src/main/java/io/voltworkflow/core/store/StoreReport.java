package io.voltworkflow.core.store;

import java.util.List;

/**
 * The result of opening or verifying a store: how much was read and every problem found, with its position.
 * {@code truncatedBytes} counts a torn or corrupt tail cut off on open; records before it stay readable.
 * {@code damage} is the damage the store keeps reporting until an operator acknowledges it.
 */
public record StoreReport(
        long records, long snapshots, long workflows, long truncatedBytes, List<String> problems, DamageReport damage) {
    public StoreReport {
        problems = List.copyOf(problems);
        damage = damage == null ? DamageReport.NONE : damage;
    }

    public StoreReport(long records, long snapshots, long workflows, long truncatedBytes, List<String> problems) {
        this(records, snapshots, workflows, truncatedBytes, problems, DamageReport.NONE);
    }

    /** No damaged record in the files and no damage left unacknowledged. */
    public boolean healthy() {
        return problems.isEmpty() && !damage.unacknowledged();
    }
}
