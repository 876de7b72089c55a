package io.voltworkflow.core.json;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes and reads the timestamps events carry. Every stored event has one, and {@link Instant#parse} and {@link
 * Instant#toString} (a general {@code DateTimeFormatter}) were a tenth of the CPU of reopening a large store and a
 * quarter of appending to it. The form {@link Instant#toString} writes ({@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, the
 * fraction in groups of three digits, years 0000–9999) is written and read directly; any other instant is written by
 * {@link Instant#toString}, and any other text, or a value out of range, goes to {@link Instant#parse}, so the
 * results and every error are exactly theirs.
 */
final class EventTimestamps {
    private static final int[] NANOS_PER_DIGIT = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };
    private static final int SHORTEST = "2000-01-01T00:00:00Z".length();
    private static final int LONGEST = "2000-01-01T00:00:00.123456789Z".length();

    private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long END_SECOND = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

    private EventTimestamps() {}

    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds >= END_SECOND) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        int nanos = instant.getNano();
        int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        char[] text = new char[fractionDigits == 0 ? SHORTEST : SHORTEST + 1 + fractionDigits];
        put(text, 0, 4, date.getYear());
        text[4] = '-';
        put(text, 5, 2, date.getMonthValue());
        text[7] = '-';
        put(text, 8, 2, date.getDayOfMonth());
        text[10] = 'T';
        put(text, 11, 2, secondOfDay / 3_600);
        text[13] = ':';
        put(text, 14, 2, secondOfDay / 60 % 60);
        text[16] = ':';
        put(text, 17, 2, secondOfDay % 60);
        if (fractionDigits > 0) {
            text[19] = '.';
            put(text, 20, fractionDigits, nanos / NANOS_PER_DIGIT[fractionDigits - 1]);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /** Writes {@code value} as {@code count} decimal digits, zero-padded, at {@code text[from]}. */
    private static void put(char[] text, int from, int count, int value) {
        for (int i = from + count - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

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
