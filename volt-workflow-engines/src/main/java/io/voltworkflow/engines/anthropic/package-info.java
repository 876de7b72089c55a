/**
 * Public API: {@link io.voltworkflow.engines.anthropic.AnthropicChatModel}, the Anthropic Messages API as a
 * {@link io.voltworkflow.engines.chat.ChatModel}.
 */
@NullMarked
package io.voltworkflow.engines.anthropic;

import org.jspecify.annotations.NullMarked;
