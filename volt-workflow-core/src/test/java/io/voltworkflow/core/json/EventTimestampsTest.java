package io.voltworkflow.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTimestampsTest {
    private static final long YEAR_0000 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 =
            Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void writesAsInstantWritesAndReadsAsInstantReads() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long seconds = YEAR_0000 + Math.floorMod(random.nextLong(), YEAR_10000 - YEAR_0000);
            int nanos =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1_000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = instant.toString();
            assertThat(EventTimestamps.format(instant)).isEqualTo(text);
            assertThat(EventTimestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void instantsOutsideTheDirectFormAreWrittenAsInstantWritesThem() {
        for (Instant instant : List.of(
                Instant.ofEpochSecond(YEAR_0000 - 1),
                Instant.ofEpochSecond(YEAR_10000),
                Instant.ofEpochSecond(YEAR_10000 - 1, 999_999_999),
                Instant.ofEpochSecond(YEAR_0000),
                Instant.EPOCH,
                Instant.ofEpochSecond(-1, 1),
                Instant.MIN,
                Instant.MAX)) {
            assertThat(EventTimestamps.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void everyOtherFormAndEveryErrorIsInstantParsesOwn() {
        for (String text : List.of(
                "2026-12-07T10:34:02.5Z",
                "2026-12-07T10:34:02.Z",
                "2026-12-07T10:34:02.1234Z",
                "2024-02-29T23:59:59.999999999Z",
                "2026-12-07t10:34:02z",
                "+12026-12-07T10:34:02Z",
                "1998-12-31T23:59:60Z")) {
            assertThat(EventTimestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : List.of(
                "2026-02-29T10:34:02Z",
                "2026-13-07T10:34:02Z",
                "2026-12-00T10:34:02Z",
                "2026-12-07T24:34:02Z",
                "2026-12-07T10:60:02Z",
                "2026-12-07T10:34:02.1234567890Z",
                "2026-12-07T10:34:0xZ",
                "2026-12-07 10:34:02Z",
                "")) {
            assertThatThrownBy(() -> EventTimestamps.parse(text))
                    .as(text)
                    .isInstanceOf(DateTimeException.class)
                    .satisfies(
                            e -> assertThatThrownBy(() -> Instant.parse(text)).hasMessage(e.getMessage()));
        }
    }
}
