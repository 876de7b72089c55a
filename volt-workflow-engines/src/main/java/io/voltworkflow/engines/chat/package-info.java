/**
 * Public API of chat-model engines: {@link io.voltworkflow.engines.chat.ChatEngine} does analysis, task breakdown and
 * code generation with any {@link io.voltworkflow.engines.chat.ChatModel} (one provider), asking with a
 * {@link io.voltworkflow.engines.chat.ChatPrompt} under {@link io.voltworkflow.engines.chat.ChatParameters} and
 * reading a {@link io.voltworkflow.engines.chat.ChatAnswer}.
 */
@NullMarked
package io.voltworkflow.engines.chat;

import org.jspecify.annotations.NullMarked;
