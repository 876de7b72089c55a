package io.voltworkflow.server.cli;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Text for the terminal. Step names and messages may come from models: control characters are never printed. */
final class Terminal {
    private static final int MAX_HEADER = 160;

    private Terminal() {}

    /** Replaces control characters (escape sequences included) so untrusted text cannot drive the terminal. */
    static String safe(@Nullable String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || isFormatting(c)) {
                out.append(' ');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * A requirement as a one-line console header: control and bidirectional-override characters shown as
     * {@code \\uXXXX} (so U+202E cannot reorder what follows), line breaks as spaces, at most {@value #MAX_HEADER}
     * characters.
     */
    static String header(String text) {
        StringBuilder out = new StringBuilder();
        String flat = text == null ? "" : text.strip().replaceAll("\\R+", " ");
        flat.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || isFormatting(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (out.length() <= MAX_HEADER) {
            return out.toString();
        }
        int cut = out.offsetByCodePoints(0, out.codePointCount(0, MAX_HEADER - 1));
        return out.substring(0, cut) + "… (" + count(text.length(), "character") + ")";
    }

    /** Bidirectional controls, zero-width characters and line/paragraph separators: invisible but effective. */
    private static boolean isFormatting(int c) {
        return Character.getType(c) == Character.FORMAT || c == 0x2028 || c == 0x2029;
    }

    /** "1 task", "2 tasks". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String fit(String text, int width) {
        String safe = safe(text);
        if (safe.length() <= width) {
            return safe + " ".repeat(width - safe.length());
        }
        return safe.substring(0, Math.max(0, width - 1)) + "…";
    }

    static String duration(@Nullable Long millis) {
        if (millis == null) {
            return "-";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toMinutes() == 0) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
