package io.voltworkflow.core.store;

import io.voltworkflow.core.internal.store.EventHeader;
import io.voltworkflow.core.internal.store.RecordKind;
import io.voltworkflow.core.internal.store.Segment;
import io.voltworkflow.core.internal.store.SegmentScanner;
import io.voltworkflow.core.internal.store.SnapshotPayload;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every record of a file store's segments, with what it belongs to: for damaging chosen records from outside. */
public final class StoreRecords {
    private StoreRecords() {}

    /** A whole frame ({@code offset}, {@code length}) or, with kind {@code null}, a segment header. */
    public record Located(Path file, int offset, int length, RecordKind kind, String workflowId, long sequence) {}

    public static List<Located> records(Path directory) {
        List<Located> located = new ArrayList<>();
        for (Path segment : FileStoreFiles.segments(directory)) {
            ByteBuffer data = ByteBuffer.wrap(FileStoreFiles.read(segment));
            located.add(new Located(segment, 0, Segment.HEADER_BYTES, null, null, 0));
            SegmentScanner.scan(data, Segment.HEADER_BYTES, (kind, offset, payload) -> {
                int length = data.getInt(offset + 4) + 9;
                if (kind == RecordKind.EVENT) {
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    EventHeader header = EventHeader.identity(bytes);
                    located.add(new Located(segment, offset, length, kind, header.workflowId(), header.sequence()));
                } else if (kind == RecordKind.SNAPSHOT) {
                    WorkflowSnapshot header = SnapshotPayload.decodeHeader(payload);
                    located.add(new Located(
                            segment, offset, length, kind, header.workflowId().value(), header.sequence()));
                } else {
                    located.add(new Located(segment, offset, length, kind, null, 0));
                }
            });
        }
        return located;
    }

    /** Changes one byte of a file ({@code xor} must not be 0), as a failing disk would. */
    public static void damageByte(Path file, int offset, int xor) {
        byte[] bytes = FileStoreFiles.read(file);
        bytes[offset] ^= (byte) xor;
        FileStoreFiles.write(file, bytes);
    }
}
