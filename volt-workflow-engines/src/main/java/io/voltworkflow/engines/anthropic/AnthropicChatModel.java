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
import io.voltworkflow.engines.http.HttpReply;
import io.voltworkflow.engines.internal.Json;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import okhttp3.HttpUrl;

/**
 * Anthropic Messages ({@code POST /v1/messages}). The host sends {@code anthropic-version} and the {@code x-api-key}
 * credential through the endpoint; structured output uses {@code output_config.format} (json_schema).
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
    return endpoint.send(prompt.operation(), "POST", messagesUrl, body(prompt), context)
        .thenApply(reply -> answer(reply, context));
  }

  private JsonNode body(ChatPrompt prompt) {
    ObjectNode body = Json.object()
        .put("model", parameters.model())
        .put("max_tokens", parameters.maxOutputTokens() == null ? DEFAULT_MAX_TOKENS : parameters.maxOutputTokens())
        .put("system", prompt.system());
    body.putArray("messages").add(Json.object().put("role", "user").put("content", prompt.user()));
    if (parameters.temperature() != null) {
      body.put("temperature", parameters.temperature());
    }
    if (parameters.structuredOutput()) {
      body.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", prompt.schema());
    }
    return body;
  }

  private ChatAnswer answer(HttpReply reply, EngineContext context) {
    JsonNode body = reply.body();
    ChatParameters.recordServedBy(context, body);
    JsonNode usage = body.path("usage");
    long input = Json.longValue(usage, "input_tokens") + Json.longValue(usage, "cache_creation_input_tokens")
        + Json.longValue(usage, "cache_read_input_tokens");
    context.recordUsage(parameters.pricing().usage(input, Json.longValue(usage, "output_tokens"), null));
    String stopReason = body.path("stop_reason").asText("");
    StringBuilder text = new StringBuilder();
    for (JsonNode block : body.path("content")) {
      if ("text".equals(block.path("type").asText())) {
        text.append(block.path("text").asText());
      }
    }
    if ("refusal".equals(stopReason)) {
      throw new EngineException(StepError.recoverable(StepError.INVALID_RESPONSE, name() + " refused to answer"));
    }
    return new ChatAnswer(text.toString(), "max_tokens".equals(stopReason));
  }
}
