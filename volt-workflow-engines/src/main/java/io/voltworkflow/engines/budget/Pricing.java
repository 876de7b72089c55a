package io.voltworkflow.engines.budget;

import io.voltworkflow.core.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Prices per million tokens, for providers that report tokens but not cost (OpenAI, Anthropic, self-hosted models).
 * A provider-reported cost always wins over a computed one.
 */
public record Pricing(double inputUsdPerMillionTokens, double outputUsdPerMillionTokens) {
    public static final Pricing FREE = new Pricing(0, 0);

    public Pricing {
        if (!(inputUsdPerMillionTokens >= 0) || !(outputUsdPerMillionTokens >= 0)) {
            throw new IllegalArgumentException("prices must be zero or positive, were " + inputUsdPerMillionTokens
                    + " and " + outputUsdPerMillionTokens + " USD per million tokens");
        }
    }

    /** The usage of one call; {@code reportedCostUsd} is the provider's figure, or {@code null}. */
    public Usage usage(long inputTokens, long outputTokens, @Nullable Double reportedCostUsd) {
        double cost = reportedCostUsd != null && reportedCostUsd >= 0
                ? reportedCostUsd
                : (inputTokens * inputUsdPerMillionTokens + outputTokens * outputUsdPerMillionTokens) / 1_000_000;
        return new Usage(inputTokens, outputTokens, cost);
    }
}
