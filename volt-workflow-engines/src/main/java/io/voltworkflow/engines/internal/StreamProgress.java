package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.EngineContext;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Progress of one streamed generation: a line when the first text arrives, then at most one per interval of the
 * step's clock with the tokens received so far (estimated from the characters, since providers count tokens only at
 * the end) and the time elapsed, and a last line with the output tokens when the provider reports them. Used from
 * the one thread that reads the stream.
 */
public final class StreamProgress {
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final String model;
    private final EngineContext context;
    private final Instant started;
    private @Nullable Instant lastReport;
    private long characters;

    public StreamProgress(String model, EngineContext context) {
        this.model = model;
        this.context = context;
        this.started = context.time().now();
    }

    public void received(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        characters += text.length();
        Instant now = context.time().now();
        if (lastReport == null || !now.isBefore(lastReport.plus(INTERVAL))) {
            lastReport = now;
            context.progress(model + " generating: ~" + tokens(characters) + " tokens (" + characters
                    + " characters) received, " + elapsed(now) + " elapsed");
        }
    }

    /** {@code outputTokens} null when the provider did not report usage. */
    public void finished(@Nullable Long outputTokens) {
        Instant now = context.time().now();
        context.progress(model + " answered: " + characters + " characters"
                + (outputTokens == null ? "" : ", " + outputTokens + " output tokens") + " in " + elapsed(now));
    }

    /** About four characters per token for English text and code: "830", "1.2k", "35k". */
    static String tokens(long characters) {
        long tokens = Math.max(1, Math.round(characters / 4.0));
        if (tokens < 1000) {
            return Long.toString(tokens);
        }
        return tokens < 10_000 ? String.format(java.util.Locale.ROOT, "%.1fk", tokens / 1000.0) : tokens / 1000 + "k";
    }

    private String elapsed(Instant now) {
        return Duration.between(started, now).toSeconds() + " s";
    }
}
