package io.voltworkflow.core.store.file;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Immutable settings of a {@link io.voltworkflow.core.store.FileWorkflowStore}. The defaults suit the embedded
 * use: 64 MiB segments, room for 65,536 queued appends before appenders wait, up to 4,096 appends per commit.
 */
public final class FileStoreOptions {
    public static final long MIN_SEGMENT_BYTES = 4096;
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    private final Path directory;
    private final long segmentBytes;
    private final int queueCapacity;
    private final int maxBatchWrites;

    private FileStoreOptions(Builder builder) {
        this.directory = builder.directory;
        this.segmentBytes = builder.segmentBytes;
        this.queueCapacity = builder.queueCapacity;
        this.maxBatchWrites = builder.maxBatchWrites;
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    public Path directory() {
        return directory;
    }

    /** A segment is closed and a new one started once it would grow past this. */
    public long segmentBytes() {
        return segmentBytes;
    }

    /** Appends waiting for the writer; when full, {@code append} blocks until the writer catches up. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** The most appends one commit writes and syncs together. */
    public int maxBatchWrites() {
        return maxBatchWrites;
    }

    public static final class Builder {
        private final Path directory;
        private long segmentBytes = 64L << 20;
        private int queueCapacity = 65_536;
        private int maxBatchWrites = 4_096;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        public Builder segmentBytes(long bytes) {
            if (bytes < MIN_SEGMENT_BYTES || bytes > MAX_SEGMENT_BYTES) {
                throw new IllegalArgumentException("segmentBytes must be between " + MIN_SEGMENT_BYTES + " and "
                        + MAX_SEGMENT_BYTES + ", was " + bytes);
            }
            this.segmentBytes = bytes;
            return this;
        }

        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, was " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        public Builder maxBatchWrites(int writes) {
            if (writes < 1) {
                throw new IllegalArgumentException("maxBatchWrites must be at least 1, was " + writes);
            }
            this.maxBatchWrites = writes;
            return this;
        }

        public FileStoreOptions build() {
            return new FileStoreOptions(this);
        }
    }
}
