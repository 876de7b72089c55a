/**
 * The disk limit scenario, not API: {@link io.voltworkflow.bench.disk.DiskScenario}, the file store against
 * {@link io.voltworkflow.bench.disk.RawGroupCommitLog} on the same records.
 */
package io.voltworkflow.bench.disk;
