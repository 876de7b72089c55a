package io.voltworkflow.engines.anthropic;

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
import io.voltworkflow.engines.http.ServerSentEvent;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.Redactor;
import io.voltworkflow.engines.internal.StreamProgress;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic Messages ({@code POST /v1/messages}). The host sends {@code anthropic-version} and the {@code x-api-key}
 * credential through the endpoint; structured output uses {@code output_config.format} (json_schema). Streamed
 * answers ({@code stream: true}) arrive as {@code message_start}, {@code content_block_delta} ({@code text_delta}),
 * {@code message_delta} (stop reason, usage) and {@code message_stop} events; an {@code error} event fails the call
 * as the same error would as a reply.
 */
public final class AnthropicChatModel implements ChatModel {
    /** The API version this adapter speaks; sent as the {@code anthropic-version} header. */
    public static final String API_VERSION = "2023-06-01";

    private static final int DEFAULT_MAX_TOKENS = 8192;

    private final HttpEndpoint endpoint;
    private final HttpUrl messagesUrl;
    private final ChatParameters parameters;

    /** {@code baseUrl} like {@code https://api.anthropic.com}. */
    public AnthropicChatModel(HttpEndpoint endpoint, HttpUrl baseUrl, ChatParameters parameters) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.messagesUrl = baseUrl.newBuilder().addPathSegments("v1/messages").build();
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    @Override
    public String name() {
        return "anthropic:" + parameters.model();
    }

    @Override
    public CompletionStage<ChatAnswer> complete(ChatPrompt prompt, EngineContext context) {
        parameters.recordProvenance(context, "anthropic");
        if (!parameters.stream()) {
            return endpoint.send(prompt.operation(), "POST", messagesUrl, body(prompt), context)
                    .thenApply(reply -> answer(reply, context));
        }
        Events events = new Events(context);
        return endpoint.stream(
                        prompt.operation(), messagesUrl, body(prompt).put("stream", true), context, events::accept)
                .thenApply(stream -> stream.streamed() ? events.complete() : answer(stream.asReply(), context));
    }

    /** Collects one streamed message from its events. */
    private final class Events {
        private final EngineContext context;
        private final StreamProgress progress;
        private final StringBuilder text = new StringBuilder();
        private JsonNode startUsage = Json.object();
        private JsonNode finalUsage = Json.object();
        private @Nullable String stopReason;
        private boolean stopped;

        Events(EngineContext context) {
            this.context = context;
            this.progress = new StreamProgress(name(), context);
        }

        void accept(ServerSentEvent event) {
            JsonNode data = Json.tryParse(event.data())
                    .orElseThrow(() -> new EngineException(StepError.retryable(
                            StepError.INVALID_RESPONSE,
                            name() + " streamed an event that is not JSON: '" + Redactor.NONE.excerpt(event.data(), 120)
                                    + "'")));
            switch (data.path("type").asText(event.event())) {
                case "message_start" -> {
                    ChatParameters.recordServedBy(context, data.path("message"));
                    startUsage = data.path("message").path("usage");
                }
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    if ("text_delta".equals(delta.path("type").asText())) {
                        text.append(delta.path("text").asText());
                        progress.received(delta.path("text").asText());
                    }
                }
                case "message_delta" -> {
                    if (data.path("delta").hasNonNull("stop_reason")) {
                        stopReason = data.path("delta").get("stop_reason").asText();
                    }
                    finalUsage = data.path("usage");
                }
                case "message_stop" -> stopped = true;
                case "error" ->
                    throw new EngineException(HttpFailures.forStreamError(
                            name(), statusOf(data.path("error").path("type").asText()), event.data()));
                default -> {
                    // ping, content_block_start/stop and event types added later carry nothing this answer needs.
                }
            }
        }

        ChatAnswer complete() {
            long output = Json.longValue(finalUsage.has("output_tokens") ? finalUsage : startUsage, "output_tokens");
            progress.finished(output);
            if (!stopped) {
                throw new EngineException(StepError.retryable(
                        StepError.INVALID_RESPONSE,
                        name() + "'s stream ended before message_stop: the answer is incomplete"));
            }
            long input = inputTokens(finalUsage.has("input_tokens") ? finalUsage : startUsage);
            context.recordUsage(parameters.pricing().usage(input, output, null));
            return finish(text.toString(), stopReason == null ? "" : stopReason);
        }
    }

    /** Anthropic's error types as the HTTP status they come with when they are a reply. */
    private static int statusOf(String type) {
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    private ObjectNode body(ChatPrompt prompt) {
        ObjectNode body = Json.object()
                .put("model", parameters.model())
                .put(
                        "max_tokens",
                        parameters.maxOutputTokens() == null ? DEFAULT_MAX_TOKENS : parameters.maxOutputTokens())
                .put("system", prompt.system());
        body.putArray("messages").add(Json.object().put("role", "user").put("content", prompt.user()));
        if (parameters.temperature() != null) {
            body.put("temperature", parameters.temperature());
        }
        if (parameters.structuredOutput()) {
            body.putObject("output_config")
                    .putObject("format")
                    .put("type", "json_schema")
                    .set("schema", prompt.schema());
        }
        return body;
    }

    private ChatAnswer answer(HttpReply reply, EngineContext context) {
        JsonNode body = reply.body();
        ChatParameters.recordServedBy(context, body);
        JsonNode usage = body.path("usage");
        context.recordUsage(
                parameters.pricing().usage(inputTokens(usage), Json.longValue(usage, "output_tokens"), null));
        StringBuilder text = new StringBuilder();
        for (JsonNode block : body.path("content")) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText());
            }
        }
        return finish(text.toString(), body.path("stop_reason").asText(""));
    }

    private static long inputTokens(JsonNode usage) {
        return Json.longValue(usage, "input_tokens")
                + Json.longValue(usage, "cache_creation_input_tokens")
                + Json.longValue(usage, "cache_read_input_tokens");
    }

    private ChatAnswer finish(String text, String stopReason) {
        if ("refusal".equals(stopReason)) {
            throw new EngineException(StepError.recoverable(StepError.INVALID_RESPONSE, name() + " refused to answer"));
        }
        return new ChatAnswer(text, "max_tokens".equals(stopReason));
    }
}
