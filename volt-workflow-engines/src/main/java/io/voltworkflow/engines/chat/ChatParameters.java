package io.voltworkflow.engines.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.engines.budget.Pricing;
import io.voltworkflow.engines.internal.Json;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Sampling parameters of a chat model, recorded with every call for reproducibility. {@code structuredOutput} asks
 * the provider for schema-constrained JSON; turn it off for servers that reject it (answers are validated either way).
 * {@code stream} asks for the answer as server-sent events, so progress shows a long generation as it runs.
 */
public record ChatParameters(
        String model,
        @Nullable Double temperature,
        @Nullable Integer maxOutputTokens,
        @Nullable Long seed,
        boolean structuredOutput,
        boolean stream,
        Pricing pricing) {
    public ChatParameters {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("a chat engine needs a model name");
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
        }
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be at least 1, was " + maxOutputTokens);
        }
        pricing = pricing == null ? Pricing.FREE : pricing;
    }

    /** Records model and parameters as provenance of the current step. */
    public void recordProvenance(EngineContext context, String provider) {
        context.recordProvenance("provider", provider);
        context.recordProvenance("model", model);
        if (temperature != null) {
            context.recordProvenance("temperature", temperature.toString());
        }
        if (maxOutputTokens != null) {
            context.recordProvenance("max_output_tokens", maxOutputTokens.toString());
        }
        if (seed != null) {
            context.recordProvenance("seed", seed.toString());
        }
    }

    /** Records what the provider says served the call (the exact model snapshot, a system fingerprint) when it says. */
    public static void recordServedBy(EngineContext context, JsonNode responseBody) {
        String model = Json.text(responseBody, "model");
        if (model != null) {
            context.recordProvenance("response_model", model);
        }
        String fingerprint = Json.text(responseBody, "system_fingerprint");
        if (fingerprint != null) {
            context.recordProvenance("system_fingerprint", fingerprint);
        }
    }
}
