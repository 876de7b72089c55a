package io.voltworkflow.core.internal.store;

import io.voltworkflow.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * One file of the log: a 16-byte header ({@code "VOLTLOG"}, version, flags, 3 reserved bytes, CRC32C of the first
 * 12 bytes) followed by frames. A segment flagged {@code compactedBase} was written by compaction and supersedes
 * every segment with a lower number. Frames are read with positional reads, so readers never share a file position.
 */
public final class Segment implements AutoCloseable {
    public static final int HEADER_BYTES = 16;
    private static final byte[] MAGIC = "VOLTLOG".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final byte FLAG_COMPACTED_BASE = 1;
    private static final Pattern NAME = Pattern.compile("segment-(\\d{16})\\.log");
    private static final int FIRST_READ_BYTES = 512;

    private final long number;
    private final Path path;
    private final FileChannel channel;
    private volatile long size;

    private Segment(long number, Path path, FileChannel channel, long size) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    public static Path pathOf(Path directory, long number) {
        return directory.resolve(String.format("segment-%016d.log", number));
    }

    /** The segment number in a file name, or empty for files that are not segments. */
    public static OptionalLong numberOf(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** Creates {@code path} with a durable header; the caller syncs the directory. */
    public static Segment create(long number, Path path, boolean compactedBase) throws IOException {
        FileChannel channel = FileChannel.open(
                path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = header(compactedBase);
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
            return new Segment(number, path, channel, HEADER_BYTES);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens an existing segment whose header was checked by {@link #readHeader}. */
    public static Segment open(long number, Path path, long size) throws IOException {
        return new Segment(
                number, path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE), size);
    }

    static ByteBuffer header(boolean compactedBase) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC)
                .put(VERSION)
                .put(compactedBase ? FLAG_COMPACTED_BASE : 0)
                .put(new byte[3]);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 12);
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /** Whether {@code data} starts with a valid header: empty if not, else whether it is a compaction base. */
    public static Optional<Boolean> readHeader(ByteBuffer data) {
        if (data.limit() < HEADER_BYTES) {
            return Optional.empty();
        }
        byte[] bytes = new byte[HEADER_BYTES];
        data.get(0, bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 12);
        boolean valid = Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                && bytes[7] == VERSION
                && ByteBuffer.wrap(bytes).getInt(12) == (int) crc.getValue();
        return valid ? Optional.of((bytes[8] & FLAG_COMPACTED_BASE) != 0) : Optional.empty();
    }

    public long number() {
        return number;
    }

    public Path path() {
        return path;
    }

    public FileChannel channel() {
        return channel;
    }

    /** Bytes known durable: readers never look past it. */
    public long size() {
        return size;
    }

    public void size(long durableSize) {
        this.size = durableSize;
    }

    /**
     * The payload of the frame at {@code offset}, checksum verified: corrupt bytes raise {@link StoreException} naming
     * the file and offset rather than being decoded.
     */
    public byte[] readPayload(long offset, RecordKind expected) {
        if (offset < HEADER_BYTES || size - offset < Frames.HEADER_BYTES) {
            throw corrupt(offset, Frames.Defect.INCOMPLETE_HEADER.description());
        }
        try {
            ByteBuffer first = ByteBuffer.allocate((int) Math.min(FIRST_READ_BYTES, size - offset));
            readFully(first, offset);
            int length = first.getInt(4);
            if (length < 0 || length > Frames.MAX_PAYLOAD_BYTES || offset + Frames.frameLength(length) > size) {
                throw corrupt(offset, Frames.Defect.BAD_LENGTH.description());
            }
            ByteBuffer frame = first;
            if (Frames.frameLength(length) > first.capacity()) {
                frame = ByteBuffer.allocate(Frames.frameLength(length)).put(first.flip());
                readFully(frame, offset);
            }
            frame.limit(Frames.frameLength(length));
            int check = Frames.check(frame, 0);
            if (check < 0) {
                throw corrupt(offset, Frames.Defect.of(check).description());
            }
            if (Frames.kindAt(frame, 0) != expected) {
                throw corrupt(offset, "expected a " + expected + " record");
            }
            byte[] payload = new byte[length];
            frame.get(Frames.HEADER_BYTES, payload);
            return payload;
        } catch (IOException e) {
            throw new StoreException("cannot read " + path + " at offset " + offset + ": " + e.getMessage(), e);
        }
    }

    /** A read-only mapping of the durable bytes, for reading many records without a system call each. */
    public ByteBuffer mapDurable() {
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new StoreException("cannot map " + path + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #readPayload}, from a mapping made by {@link #mapDurable()}. */
    public byte[] payloadIn(ByteBuffer mapped, long offset, RecordKind expected) {
        if (offset < HEADER_BYTES || offset >= mapped.limit()) {
            throw corrupt(offset, "position outside the segment");
        }
        int check = Frames.check(mapped, (int) offset);
        if (check < 0) {
            throw corrupt(offset, Frames.Defect.of(check).description());
        }
        if (Frames.kindAt(mapped, (int) offset) != expected) {
            throw corrupt(offset, "expected a " + expected + " record");
        }
        ByteBuffer payload = Frames.payloadAt(mapped, (int) offset);
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return bytes;
    }

    private void readFully(ByteBuffer buffer, long offset) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw corrupt(offset, Frames.Defect.INCOMPLETE_PAYLOAD.description());
            }
        }
    }

    private StoreException corrupt(long offset, String defect) {
        return new StoreException(path.getFileName() + " offset " + offset + ": corrupt record (" + defect + ")");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
