package io.voltworkflow.engines.internal;

import io.voltworkflow.engines.credentials.Secret;
import java.util.List;

/**
 * Scrubs known secret values from text that came from outside (provider error messages, process output) before it
 * reaches a log, a progress line or an error. Providers do echo keys back, e.g. in "incorrect API key" messages.
 */
public final class Redactor {
    public static final Redactor NONE = new Redactor(List.of());
    private static final String MASK = "****";

    private final List<Secret> secrets;

    private Redactor(List<Secret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    public static Redactor of(List<Secret> secrets) {
        return secrets.isEmpty() ? NONE : new Redactor(secrets);
    }

    /** Whether there is nothing to scrub: text passes through unchanged. */
    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public String scrub(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String scrubbed = text;
        for (Secret secret : secrets) {
            scrubbed = scrubbed.replace(secret.reveal(), MASK);
        }
        return scrubbed;
    }

    /** Scrubbed, on one line, and at most {@code max} characters: fit for a message. */
    public String excerpt(String text, int max) {
        String oneLine = scrub(text == null ? "" : text).replaceAll("\\s+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
    }
}
