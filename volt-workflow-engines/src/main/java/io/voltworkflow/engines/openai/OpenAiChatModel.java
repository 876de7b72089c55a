package io.voltworkflow.engines.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.chat.ChatAnswer;
import io.voltworkflow.engines.chat.ChatModel;
import io.voltworkflow.engines.chat.ChatParameters;
import io.voltworkflow.engines.chat.ChatPrompt;
import io.voltworkflow.engines.http.HttpEndpoint;
import io.voltworkflow.engines.http.HttpFailures;
import io.voltworkflow.engines.http.HttpReply;
import io.voltworkflow.engines.http.HttpStream;
import io.voltworkflow.engines.http.ServerSentEvent;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.Redactor;
import io.voltworkflow.engines.internal.StreamProgress;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI Chat Completions and the servers that speak it: OpenAI ({@code https://api.openai.com/v1}), Azure OpenAI
 * (deployment URL plus {@code api-version}), Ollama ({@code http://localhost:11434/v1}), vLLM, LiteLLM. Structured
 * output uses {@code response_format: json_schema} (strict). Cost comes from {@code usage.cost} or LiteLLM's
 * {@code x-litellm-response-cost} header when reported, else from the configured pricing. Streamed answers
 * ({@code stream: true}) arrive as {@code choices[].delta} chunks ending in {@code [DONE]}, with usage in a last chunk
 * ({@code stream_options.include_usage}).
 */
public final class OpenAiChatModel implements ChatModel {
    private final HttpEndpoint endpoint;
    private final HttpUrl completionsUrl;
    private final ChatParameters parameters;
    private final String provider;

    private OpenAiChatModel(HttpEndpoint endpoint, HttpUrl completionsUrl, ChatParameters parameters, String provider) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.completionsUrl = completionsUrl;
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.provider = provider;
    }

    /** {@code baseUrl} up to and including the API version segment, e.g. {@code https://api.openai.com/v1}. */
    public static OpenAiChatModel compatible(HttpEndpoint endpoint, HttpUrl baseUrl, ChatParameters parameters) {
        return new OpenAiChatModel(
                endpoint,
                baseUrl.newBuilder().addPathSegments("chat/completions").build(),
                parameters,
                "openai");
    }

    /** Azure OpenAI: {@code resourceUrl} like {@code https://NAME.openai.azure.com}; the model is the deployment name. */
    public static OpenAiChatModel azure(
            HttpEndpoint endpoint, HttpUrl resourceUrl, String apiVersion, ChatParameters parameters) {
        HttpUrl url = resourceUrl
                .newBuilder()
                .addPathSegments("openai/deployments")
                .addPathSegment(parameters.model())
                .addPathSegments("chat/completions")
                .setQueryParameter("api-version", apiVersion)
                .build();
        return new OpenAiChatModel(endpoint, url, parameters, "azure-openai");
    }

    @Override
    public String name() {
        return provider + ":" + parameters.model();
    }

    @Override
    public CompletionStage<ChatAnswer> complete(ChatPrompt prompt, EngineContext context) {
        parameters.recordProvenance(context, provider);
        if (!parameters.stream()) {
            return endpoint.send(prompt.operation(), "POST", completionsUrl, body(prompt), context)
                    .thenApply(reply -> answer(reply, context));
        }
        ObjectNode body = body(prompt).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        Chunks chunks = new Chunks(context);
        return endpoint.stream(prompt.operation(), completionsUrl, body, context, chunks::accept)
                .thenApply(stream -> stream.streamed() ? chunks.complete(stream) : answer(stream.asReply(), context));
    }

    /** Collects one streamed answer from its chunks. */
    private final class Chunks {
        private final EngineContext context;
        private final StreamProgress progress;
        private final StringBuilder content = new StringBuilder();
        private final StringBuilder refusal = new StringBuilder();
        private @Nullable String finishReason;
        private @Nullable JsonNode usage;
        private boolean first = true;

        Chunks(EngineContext context) {
            this.context = context;
            this.progress = new StreamProgress(name(), context);
        }

        void accept(ServerSentEvent event) {
            if ("[DONE]".equals(event.data().strip())) {
                return;
            }
            JsonNode chunk = Json.tryParse(event.data())
                    .orElseThrow(() -> new EngineException(StepError.retryable(
                            StepError.INVALID_RESPONSE,
                            name() + " streamed a chunk that is not JSON: '" + Redactor.NONE.excerpt(event.data(), 120)
                                    + "'")));
            if (chunk.has("error")) {
                throw new EngineException(
                        HttpFailures.forStreamError(name(), statusOf(chunk.get("error")), event.data()));
            }
            if (first) {
                first = false;
                ChatParameters.recordServedBy(context, chunk);
            }
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            }
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            if (delta.path("content").isTextual()) {
                content.append(delta.get("content").asText());
                progress.received(delta.get("content").asText());
            }
            if (delta.path("refusal").isTextual()) {
                refusal.append(delta.get("refusal").asText());
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }

        ChatAnswer complete(HttpStream stream) {
            progress.finished(usage == null ? null : Json.longValue(usage, "completion_tokens"));
            if (finishReason == null) {
                throw new EngineException(StepError.retryable(
                        StepError.INVALID_RESPONSE,
                        name() + "'s stream ended before the answer was complete (no finish_reason)"));
            }
            JsonNode message = Json.object().put("content", content.toString());
            if (!refusal.isEmpty()) {
                ((ObjectNode) message).put("refusal", refusal.toString());
            }
            // The chunks reassembled as the reply a non-streamed call gets (the served-by fields were recorded from the
            // first).
            ObjectNode body = Json.object();
            body.putArray("choices")
                    .addObject()
                    .put("finish_reason", finishReason)
                    .set("message", message);
            body.set("usage", usage == null ? Json.object() : usage);
            return OpenAiChatModel.this.answer(
                    new HttpReply(stream.status(), stream.headers(), body, stream.requestId()), context);
        }
    }

    /** OpenAI's error types as the HTTP status they stand for when they come as a reply. */
    private static int statusOf(JsonNode error) {
        String type = error.path("type").asText(error.path("code").asText(""));
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "rate_limit_exceeded", "rate_limit_error", "insufficient_quota" -> 429;
            default -> 500;
        };
    }

    private ObjectNode body(ChatPrompt prompt) {
        ObjectNode body = Json.object().put("model", parameters.model());
        body.putArray("messages")
                .add(Json.object().put("role", "system").put("content", prompt.system()))
                .add(Json.object().put("role", "user").put("content", prompt.user()));
        if (parameters.temperature() != null) {
            body.put("temperature", parameters.temperature());
        }
        if (parameters.maxOutputTokens() != null) {
            body.put("max_tokens", parameters.maxOutputTokens());
        }
        if (parameters.seed() != null) {
            body.put("seed", parameters.seed());
        }
        if (parameters.structuredOutput()) {
            ObjectNode format = body.putObject("response_format").put("type", "json_schema");
            format.putObject("json_schema")
                    .put("name", prompt.schemaName())
                    .put("strict", true)
                    .set("schema", prompt.schema());
        }
        return body;
    }

    private ChatAnswer answer(HttpReply reply, EngineContext context) {
        JsonNode body = reply.body();
        ChatParameters.recordServedBy(context, body);
        JsonNode usage = body.path("usage");
        context.recordUsage(parameters
                .pricing()
                .usage(
                        Json.longValue(usage, "prompt_tokens"),
                        Json.longValue(usage, "completion_tokens"),
                        reportedCost(reply)));
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (message.hasNonNull("refusal")) {
            throw new EngineException(StepError.recoverable(
                    StepError.INVALID_RESPONSE,
                    name() + " refused: " + message.get("refusal").asText()));
        }
        if (!message.path("content").isTextual()) {
            throw new EngineException(StepError.retryable(
                    StepError.INVALID_RESPONSE,
                    name() + " answered without message content (finish_reason "
                            + choice.path("finish_reason").asText("none") + ")"));
        }
        return new ChatAnswer(
                message.get("content").asText(),
                "length".equals(choice.path("finish_reason").asText()));
    }

    private static @Nullable Double reportedCost(HttpReply reply) {
        JsonNode cost = reply.body().path("usage").path("cost");
        if (cost.isNumber()) {
            return cost.asDouble();
        }
        String header = reply.headers().get("x-litellm-response-cost");
        try {
            return header == null ? null : Double.valueOf(header);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
