package io.voltworkflow.engines.chat;

import io.voltworkflow.core.engine.EngineContext;
import java.util.concurrent.CompletionStage;

/**
 * One chat-completion provider (OpenAI-compatible, Anthropic, …) behind {@link ChatEngine}. An implementation sends
 * one request per call, asks for JSON that conforms to the prompt's schema where the provider supports it, and
 * records usage and provenance (model, parameters, request id) on the context.
 */
public interface ChatModel {
    /** Names the provider and model in messages and as the code generator, e.g. {@code openai:gpt-4o-mini}. */
    String name();

    CompletionStage<ChatAnswer> complete(ChatPrompt prompt, EngineContext context);
}
