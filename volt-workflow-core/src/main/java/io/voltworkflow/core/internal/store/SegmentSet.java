package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The open segments of a store directory; the last one is active (appended to). Readers hold {@link #readLock()}
 * while they use positions, so compaction can swap segments without a reader landing in a deleted file.
 */
public final class SegmentSet implements AutoCloseable {
    private final Path directory;
    private final long segmentBytes;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();

    public SegmentSet(Path directory, long segmentBytes, List<Segment> opened) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        opened.forEach(segment -> segments.put(segment.number(), segment));
    }

    public Path directory() {
        return directory;
    }

    public Lock readLock() {
        return structure.readLock();
    }

    public Segment active() {
        return segments.lastEntry().getValue();
    }

    public Segment get(long number) {
        Segment segment = segments.get(number);
        if (segment == null) {
            throw new StoreException("segment " + number + " of " + directory + " is gone");
        }
        return segment;
    }

    public Collection<Segment> all() {
        return segments.values();
    }

    private long nextNumber() {
        return segments.isEmpty() ? 1 : segments.lastKey() + 1;
    }

    /** The active segment, after rolling to a new one if {@code bytes} would overflow a non-empty active one. */
    public Segment activeWithRoomFor(long bytes) throws IOException {
        Segment active = active();
        return active.size() > Segment.HEADER_BYTES && active.size() + bytes > segmentBytes ? roll() : active;
    }

    /**
     * Makes every segment written so far immutable by starting a new active one (unless the active one is still
     * empty); returns the number of the last sealed segment, 0 if there is none. Call between commits.
     */
    public long seal() throws IOException {
        Segment active = active();
        if (active.size() == Segment.HEADER_BYTES) {
            return active.number() - 1;
        }
        roll();
        return active.number();
    }

    private Segment roll() throws IOException {
        long number = nextNumber();
        Segment next = Segment.create(number, Segment.pathOf(directory, number), false);
        syncDirectory(directory);
        segments.put(number, next);
        return next;
    }

    /** The sealed segments, numbered up to {@code lastSealed}. */
    public List<Segment> sealed(long lastSealed) {
        return List.copyOf(segments.headMap(lastSealed, true).values());
    }

    /**
     * Puts {@code base} (a compacted segment already renamed over segment {@code base.number()}) in place of every
     * segment numbered up to it, running {@code repoint} while no reader holds a position, then deletes the files it
     * replaced.
     */
    public void replaceSealedWith(Segment base, Runnable repoint) throws IOException {
        List<Segment> replaced;
        structure.writeLock().lock();
        try {
            repoint.run();
            replaced = List.copyOf(segments.headMap(base.number(), true).values());
            replaced.forEach(old -> segments.remove(old.number()));
            segments.put(base.number(), base);
        } finally {
            structure.writeLock().unlock();
        }
        for (Segment old : replaced) {
            old.close();
            if (old.number() != base.number()) {
                Files.deleteIfExists(old.path());
            }
        }
        syncDirectory(directory);
    }

    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        structure.writeLock().lock();
        try {
            IOException failure = null;
            for (Segment segment : segments.values()) {
                try {
                    segment.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            structure.writeLock().unlock();
        }
    }
}
