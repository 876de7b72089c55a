package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.EngineContext;

/**
 * What a retried attempt tells its engine about the previous one: the error it failed with (plan validation errors,
 * {@code git apply} output, an unusable answer), bounded so feedback never crowds out the request itself.
 */
public final class RepairFeedback {
  /** Characters of the previous error passed on; a step error's message is bounded by 4096 already. */
  public static final int MAX_CHARS = 4000;

  private RepairFeedback() {}

  public static String truncated(String message) {
    return message.length() <= MAX_CHARS ? message : message.substring(0, MAX_CHARS) + "…";
  }

  /** A prompt section for chat models, empty on a first attempt. */
  public static String promptSection(EngineContext context) {
    return context.previousAttemptError().map(error -> "\nYour previous attempt at this step was rejected ("
        + error.code() + "):\n<previous_attempt_error>\n" + truncated(error.message())
        + "\n</previous_attempt_error>\nCorrect exactly this problem in your new answer.\n").orElse("");
  }
}
