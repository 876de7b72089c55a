/**
 * Public API: {@link io.voltworkflow.engines.openai.OpenAiChatModel}, OpenAI Chat Completions and the servers that
 * speak it, as a {@link io.voltworkflow.engines.chat.ChatModel}.
 */
@NullMarked
package io.voltworkflow.engines.openai;

import org.jspecify.annotations.NullMarked;
