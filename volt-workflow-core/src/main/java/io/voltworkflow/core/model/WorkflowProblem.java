package io.voltworkflow.core.model;

import org.jspecify.annotations.Nullable;

/** One reason a workflow definition or request was refused; {@code step} names the offending step, if any. */
public record WorkflowProblem(String code, @Nullable String step, String message) {
    public static final String EMPTY_REQUIREMENT = "EMPTY_REQUIREMENT";
    public static final String REQUIREMENT_TOO_LONG = "REQUIREMENT_TOO_LONG";
    public static final String CONTEXT_TOO_LARGE = "CONTEXT_TOO_LARGE";
    public static final String NO_STEPS = "NO_STEPS";
    public static final String TOO_MANY_STEPS = "TOO_MANY_STEPS";
    public static final String INVALID_STEP_NAME = "INVALID_STEP_NAME";
    public static final String DUPLICATE_STEP = "DUPLICATE_STEP";
    public static final String UNKNOWN_DEPENDENCY = "UNKNOWN_DEPENDENCY";
    public static final String DUPLICATE_DEPENDENCY = "DUPLICATE_DEPENDENCY";
    public static final String CYCLE = "CYCLE";
    public static final String INVALID_INPUT = "INVALID_INPUT";

    @Override
    public String toString() {
        return step == null ? code + ": " + message : code + " at step '" + step + "': " + message;
    }
}
