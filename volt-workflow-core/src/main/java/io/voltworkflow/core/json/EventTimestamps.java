package io.voltworkflow.core.json;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the timestamps events are written with. Every stored event carries one, and {@link Instant#parse} (a general
 * {@code DateTimeFormatter}) was a tenth of the CPU of reopening a large store. The form {@link Instant#toString}
 * writes ({@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, years 0000–9999) is read directly; anything else, and any value
 * out of range, goes to {@link Instant#parse}, so the result and every error are exactly its own.
 */
final class EventTimestamps {
    private static final int[] NANOS_PER_DIGIT = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };
    private static final int SHORTEST = "2000-01-01T00:00:00Z".length();
    private static final int LONGEST = "2000-01-01T00:00:00.123456789Z".length();

    private EventTimestamps() {}

    static Instant parse(String text) {
        int length = text.length();
        if (length < SHORTEST
                || length > LONGEST
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z'
                || (length > SHORTEST && (length == SHORTEST + 1 || text.charAt(19) != '.'))) {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = length > SHORTEST ? digits(text, 20, length - 1) : 0;
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth())
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || fraction < 0) {
            return Instant.parse(text);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        int nanos = length > SHORTEST ? fraction * NANOS_PER_DIGIT[length - SHORTEST - 2] : 0;
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 unless every character there is an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
