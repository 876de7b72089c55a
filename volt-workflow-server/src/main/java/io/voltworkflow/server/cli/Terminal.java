package io.voltworkflow.server.cli;

import java.time.Duration;
import java.util.Locale;

/** Text for the terminal. Step names and messages may come from models: control characters are never printed. */
final class Terminal {
  private Terminal() {}

  /** Replaces control characters (escape sequences included) so untrusted text cannot drive the terminal. */
  static String safe(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        out.append(' ');
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  static String fit(String text, int width) {
    String safe = safe(text);
    if (safe.length() <= width) {
      return safe + " ".repeat(width - safe.length());
    }
    return safe.substring(0, Math.max(0, width - 1)) + "…";
  }

  static String duration(Long millis) {
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
