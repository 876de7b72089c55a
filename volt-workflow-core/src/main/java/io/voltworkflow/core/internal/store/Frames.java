package io.voltworkflow.core.internal.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record frame: {@code crc32c:int | length:int | kind:byte | payload[length]}, big-endian. The checksum covers
 * length, kind and payload, so a flipped length is caught as surely as a flipped payload byte.
 */
public final class Frames {
    public static final int HEADER_BYTES = 9;
    /** Larger lengths are corruption, not data: it bounds what a damaged length field can make us read. */
    public static final int MAX_PAYLOAD_BYTES = 64 << 20;

    private Frames() {}

    public static int frameLength(int payloadLength) {
        return HEADER_BYTES + payloadLength;
    }

    /** Writes one frame at {@code target}'s position. */
    public static void write(ByteBuffer target, RecordKind kind, byte[] payload) {
        int start = target.position();
        target.position(start + HEADER_BYTES).put(payload);
        writeHeader(target, start, kind, payload.length);
    }

    /** Fills in the header of the frame at {@code start}, whose {@code length} payload bytes follow it already. */
    public static void writeHeader(ByteBuffer target, int start, RecordKind kind, int length) {
        target.putInt(start + 4, length).put(start + 8, kind.code());
        target.putInt(start, checksum(target, start + 4, start + HEADER_BYTES + length));
    }

    public static byte[] frame(RecordKind kind, byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(
                    "record of " + payload.length + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate(frameLength(payload.length));
        write(buffer, kind, payload);
        return buffer.array();
    }

    /**
     * Checks the frame starting at {@code offset} of {@code data} (up to its limit): its total length if it is whole
     * and its checksum matches, otherwise a negative {@link Defect} code.
     */
    public static int check(ByteBuffer data, int offset) {
        int available = data.limit() - offset;
        if (available < HEADER_BYTES) {
            return Defect.INCOMPLETE_HEADER.code;
        }
        int length = data.getInt(offset + 4);
        if (length < 0 || length > MAX_PAYLOAD_BYTES) {
            return Defect.BAD_LENGTH.code;
        }
        if (RecordKind.fromCode(data.get(offset + 8)) == null) {
            return Defect.UNKNOWN_KIND.code;
        }
        int total = frameLength(length);
        if (total > available) {
            return Defect.INCOMPLETE_PAYLOAD.code;
        }
        if (checksum(data, offset + 4, offset + total) != data.getInt(offset)) {
            return Defect.CHECKSUM_MISMATCH.code;
        }
        return total;
    }

    public static RecordKind kindAt(ByteBuffer data, int offset) {
        return RecordKind.fromCode(data.get(offset + 8));
    }

    /** The payload of the (checked) frame at {@code offset}, as a read-only view. */
    public static ByteBuffer payloadAt(ByteBuffer data, int offset) {
        int length = data.getInt(offset + 4);
        return data.duplicate()
                .position(offset + HEADER_BYTES)
                .limit(offset + HEADER_BYTES + length)
                .slice()
                .asReadOnlyBuffer();
    }

    private static int checksum(ByteBuffer data, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate().position(from).limit(to));
        return (int) crc.getValue();
    }

    /** Why bytes are not a frame. */
    public enum Defect {
        INCOMPLETE_HEADER(-1, "incomplete frame header"),
        BAD_LENGTH(-2, "impossible record length"),
        UNKNOWN_KIND(-3, "unknown record kind"),
        INCOMPLETE_PAYLOAD(-4, "record extends past the end of the file"),
        CHECKSUM_MISMATCH(-5, "checksum mismatch");

        private final int code;
        private final String description;

        Defect(int code, String description) {
            this.code = code;
            this.description = description;
        }

        public String description() {
            return description;
        }

        public int code() {
            return code;
        }

        public static Defect of(int code) {
            for (Defect defect : values()) {
                if (defect.code == code) {
                    return defect;
                }
            }
            throw new IllegalArgumentException("not a defect code: " + code);
        }
    }
}
