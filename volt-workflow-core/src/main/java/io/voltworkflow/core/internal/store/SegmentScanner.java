package io.voltworkflow.core.internal.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Walks the frames of one segment. A bad frame is either damage in the middle (a valid frame follows it: the bad
 * bytes are skipped and reported) or the tail (nothing valid follows: a torn write the caller may cut off).
 */
public final class SegmentScanner {
    private SegmentScanner() {}

    public interface FrameVisitor {
        void frame(@Nullable RecordKind kind, int offset, ByteBuffer payload);
    }

    /** Bytes that are not valid frames: {@code [offset, offset + length)} of the segment. */
    public record Damage(long offset, long length, String description) {}

    /** {@code tail} is {@code null} when the segment ends with a whole frame. */
    public record Result(List<Damage> damaged, @Nullable Damage tail) {}

    public static Result scan(ByteBuffer data, int start, FrameVisitor visitor) {
        List<Damage> damaged = new ArrayList<>();
        int offset = start;
        while (offset < data.limit()) {
            int length = Frames.check(data, offset);
            if (length > 0) {
                visitor.frame(Frames.kindAt(data, offset), offset, Frames.payloadAt(data, offset));
                offset += length;
                continue;
            }
            String description = Frames.Defect.of(length).description();
            int next = nextValidFrame(data, offset);
            if (next < 0) {
                return new Result(damaged, new Damage(offset, data.limit() - offset, description));
            }
            damaged.add(new Damage(offset, next - offset, description));
            offset = next;
        }
        return new Result(damaged, null);
    }

    /**
     * The first offset after {@code bad} where a whole, checksummed frame starts, or -1. When only the checksum was
     * wrong the length is probably intact, so the frame right after is tried first.
     */
    private static int nextValidFrame(ByteBuffer data, int bad) {
        if (Frames.check(data, bad) == Frames.Defect.CHECKSUM_MISMATCH.code()) {
            int skip = Frames.frameLength(data.getInt(bad + 4));
            if (bad + skip < data.limit() && Frames.check(data, bad + skip) > 0) {
                return bad + skip;
            }
        }
        for (int candidate = bad + 1; candidate + Frames.HEADER_BYTES <= data.limit(); candidate++) {
            if (Frames.check(data, candidate) > 0) {
                return candidate;
            }
        }
        return -1;
    }
}
