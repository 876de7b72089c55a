package io.voltworkflow.core.store;

import java.util.List;

/**
 * The result of opening or verifying a store: how much was read and every problem found, with its position.
 * {@code truncatedBytes} counts a torn or corrupt tail cut off on open; records before it stay readable.
 */
public record StoreReport(long records, long snapshots, long workflows, long truncatedBytes, List<String> problems) {
  public StoreReport {
    problems = List.copyOf(problems);
  }

  public boolean healthy() {
    return problems.isEmpty();
  }
}
