package io.voltworkflow.core.internal.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a damaged frame was about, never what it said: if exactly one single-byte change makes the bytes of an
 * unreadable region a valid frame, that frame's kind and payload tell whose record was lost. The payload is used
 * only to attribute the loss (workflow and sequence); its content is never served as data.
 *
 * <p>CRC32C is linear: the checksum difference that a change of value {@code v} at byte {@code p} causes is the
 * table entry of {@code v} carried through the {@code n - 1 - p} bytes after it. Every position and value is tried
 * that way in {@code 255 * n} cheap steps, and the correction is used only if it is the only one.
 */
final class FrameSalvage {
    private static final int POLY = 0x82F63B78;
    private static final int[] TABLE = new int[256];
    /** Larger regions are not tried: they are not one damaged event, and the search would cost too much. */
    static final int MAX_REGION_BYTES = 1 << 18;

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc >>> 1) ^ ((crc & 1) != 0 ? POLY : 0);
            }
            TABLE[i] = crc;
        }
    }

    private FrameSalvage() {}

    /** The frame the region {@code [offset, offset + length)} held, corrected, or {@code null} if not certain. */
    static @Nullable Salvaged salvage(ByteBuffer data, int offset, int length) {
        if (length < Frames.HEADER_BYTES || length > MAX_REGION_BYTES) {
            return null;
        }
        int stored = data.getInt(offset);
        byte[] body = new byte[length - 4];
        data.get(offset + 4, body);
        int syndrome = stored ^ crc(body);
        if (oneByte(syndrome)) {
            // The checksum field itself took the hit (or only the region's bounds were in doubt): the body is intact.
            return frameOf(body);
        }
        int[] basis = new int[8];
        for (int bit = 0; bit < 8; bit++) {
            basis[bit] = TABLE[1 << bit];
        }
        int[] combos = new int[256];
        int foundAt = -1;
        int foundValue = 0;
        for (int p = body.length - 1; p >= 0; p--) {
            for (int v = 1; v < 256; v++) {
                combos[v] = combos[v & (v - 1)] ^ basis[Integer.numberOfTrailingZeros(v)];
                if (combos[v] == syndrome) {
                    if (foundAt >= 0) {
                        return null;
                    }
                    foundAt = p;
                    foundValue = v;
                }
            }
            for (int bit = 0; bit < 8; bit++) {
                basis[bit] = (basis[bit] >>> 8) ^ TABLE[basis[bit] & 0xFF];
            }
        }
        if (foundAt < 0) {
            return null;
        }
        body[foundAt] ^= (byte) foundValue;
        return frameOf(body);
    }

    private static boolean oneByte(int syndrome) {
        for (int shift = 0; shift < 32; shift += 8) {
            if ((syndrome & ~(0xFF << shift)) == 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code body} is {@code length | kind | payload}: a frame only if its length and kind agree with the region. */
    private static @Nullable Salvaged frameOf(byte[] body) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        int length = buffer.getInt(0);
        RecordKind kind = RecordKind.fromCode(buffer.get(4));
        if (kind == null || length != body.length - 5) {
            return null;
        }
        byte[] payload = new byte[length];
        buffer.get(5, payload);
        return new Salvaged(kind, payload);
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    record Salvaged(RecordKind kind, byte[] payload) {}
}
