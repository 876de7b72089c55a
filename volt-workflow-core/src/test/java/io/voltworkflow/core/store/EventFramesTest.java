package io.voltworkflow.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.internal.store.EventFrames;
import io.voltworkflow.core.internal.store.Frames;
import io.voltworkflow.core.internal.store.RecordKind;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames written straight from the encoder are the frames of the codec's bytes. */
class EventFramesTest {
    @Test
    void eachRecordIsTheFrameOfItsCodecBytesBackToBack() {
        List<EventRecord> records = StoreFixtures.events(StoreFixtures.workflow(1), 1, 40);

        EventFrames.Encoded encoded = EventFrames.encode(records);

        ByteBuffer frames = ByteBuffer.wrap(encoded.frames());
        int offset = 0;
        for (int i = 0; i < records.size(); i++) {
            assertThat(encoded.offsets()[i]).isEqualTo(offset);
            byte[] expected = Frames.frame(RecordKind.EVENT, EventCodec.encode(records.get(i)));
            int length = Frames.check(frames, offset);
            assertThat(length).isEqualTo(expected.length);
            assertThat(frames.slice(offset, length)).isEqualTo(ByteBuffer.wrap(expected));
            offset += length;
        }
        assertThat(offset).isEqualTo(encoded.frames().length);
    }

    @Test
    void aBatchAfterALargeOneStartsAfresh() {
        List<EventRecord> large = StoreFixtures.events(StoreFixtures.workflow(1), 1, 20_000);
        List<EventRecord> small = StoreFixtures.events(StoreFixtures.workflow(2), 1, 1);

        EventFrames.encode(large);
        EventFrames.Encoded encoded = EventFrames.encode(small);

        assertThat(encoded.frames()).isEqualTo(Frames.frame(RecordKind.EVENT, EventCodec.encode(small.get(0))));
    }
}
