package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.RepairRound;
import org.jspecify.annotations.Nullable;

/**
 * What a retried attempt tells its engine about the previous one: the error it failed with (plan validation errors,
 * {@code git apply} output, an unusable answer), bounded so feedback never crowds out the request itself.
 */
public final class RepairFeedback {
    /** Characters of the previous error passed on; a step error's message is bounded by 4096 already. */
    public static final int MAX_CHARS = 4000;
    /** Characters of a repair round's previous patch passed on: enough for a task-sized change. */
    public static final int MAX_PATCH_CHARS = 16_000;

    private RepairFeedback() {}

    public static String truncated(String message) {
        return message.length() <= MAX_CHARS ? message : message.substring(0, MAX_CHARS) + "…";
    }

    /**
     * A prompt section for code generation in a repair round, empty on a task's first pass. The previous patch is
     * taken out of the workspace before the new one goes in, so the model is asked for a complete diff again.
     */
    public static String repairSection(@Nullable RepairRound repair) {
        if (repair == null) {
            return "";
        }
        String previous = repair.previousPatch().isEmpty()
                ? ""
                : "Your previous patch, which is taken out before yours is applied:\n"
                        + "<previous_patch>\n"
                        + (repair.previousPatch().length() <= MAX_PATCH_CHARS
                                ? repair.previousPatch()
                                : repair.previousPatch().substring(0, MAX_PATCH_CHARS) + "…")
                        + "\n</previous_patch>\n";
        return "\nThis is repair round " + repair.round() + " of " + repair.maxRounds()
                + ": the code you wrote for this task "
                + "failed validation (" + repair.failure().code() + "):\n<validation_failure>\n"
                + truncated(repair.failure().message()) + "\n</validation_failure>\n" + previous
                + "Answer with a complete diff against the original files (not on top of the previous patch) that makes "
                + "exactly these checks pass.\n";
    }

    /** A prompt section for chat models, empty on a first attempt. */
    public static String promptSection(EngineContext context) {
        return context.previousAttemptError()
                .map(error -> "\nYour previous attempt at this step was rejected ("
                        + error.code() + "):\n<previous_attempt_error>\n" + truncated(error.message())
                        + "\n</previous_attempt_error>\nCorrect exactly this problem in your new answer.\n")
                .orElse("");
    }
}
