package io.voltworkflow.core.store;

import io.voltworkflow.core.internal.store.Segment;
import io.voltworkflow.core.internal.store.SegmentScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks at and damages a file store's files from outside, as a crash or a failing disk would. */
final class FileStoreFiles {
    private FileStoreFiles() {}

    static List<Path> segments(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> Segment.numberOf(file).isPresent())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path onlySegment(Path directory) {
        List<Path> segments = segments(directory);
        if (segments.size() != 1) {
            throw new IllegalStateException("expected one segment in " + directory + ", found " + segments);
        }
        return segments.get(0);
    }

    /** Start offsets of the frames in a segment file. */
    static List<Integer> frameOffsets(Path segment) {
        List<Integer> offsets = new ArrayList<>();
        SegmentScanner.scan(
                ByteBuffer.wrap(read(segment)), Segment.HEADER_BYTES, (kind, offset, payload) -> offsets.add(offset));
        return offsets;
    }

    /** The start of the frame holding byte {@code position}. */
    static int frameContaining(List<Integer> frameOffsets, long position) {
        int start = frameOffsets.get(0);
        for (int offset : frameOffsets) {
            if (offset <= position) {
                start = offset;
            }
        }
        return start;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void flipBit(Path file, long bit) {
        byte[] bytes = read(file);
        bytes[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
        write(file, bytes);
    }

    static void copyDirectory(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
