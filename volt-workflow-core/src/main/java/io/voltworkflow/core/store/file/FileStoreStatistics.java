package io.voltworkflow.core.store.file;

/**
 * What a file store wrote since it was opened. {@code commits} counts group commits (one write and one
 * {@code force} each), so {@code records / commits} is the batching achieved and {@code bytesWritten / records}
 * the bytes persisted per event.
 */
public record FileStoreStatistics(long records, long snapshots, long commits, long bytesWritten) {}
