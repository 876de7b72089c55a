package io.voltworkflow.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a step does. The five built-in types form the standard plan; any other id is a custom step type served by a
 * handler the host registers.
 */
public sealed interface StepType permits StepType.Builtin, StepType.Custom {

    /** The wire id, e.g. {@code codegen}. */
    String id();

    StepType ANALYSIS = Builtin.ANALYSIS;
    StepType TASK_CREATION = Builtin.TASK_CREATION;
    StepType CODEGEN = Builtin.CODEGEN;
    StepType VALIDATION = Builtin.VALIDATION;
    StepType COMPLETION = Builtin.COMPLETION;

    static StepType of(String id) {
        Objects.requireNonNull(id, "step type");
        for (Builtin builtin : Builtin.values()) {
            if (builtin.id.equals(id)) {
                return builtin;
            }
        }
        return new Custom(id);
    }

    enum Builtin implements StepType {
        ANALYSIS("analysis"),
        TASK_CREATION("task_creation"),
        CODEGEN("codegen"),
        VALIDATION("validation"),
        COMPLETION("completion");

        private final String id;

        Builtin(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** A user-defined step type, e.g. {@code security_scan}. */
    record Custom(String id) implements StepType {
        private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");

        public Custom {
            Objects.requireNonNull(id, "custom step type");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("custom step type '" + id
                        + "' must be 1-64 lower-case letters, digits or '_', starting with a letter");
            }
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
