package io.voltworkflow.engines.chat;

/** The model's text; {@code truncated} when it stopped at the output token limit. */
public record ChatAnswer(String text, boolean truncated) {}
