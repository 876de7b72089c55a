package io.voltworkflow.core.engine;

import io.voltworkflow.core.model.StepError;
import java.time.Duration;
import java.util.Objects;

/** One look at a code generation job. */
public sealed interface CodegenPoll {
    /** Still working; poll again after {@code pollAfter}. */
    record Running(String message, Duration pollAfter) implements CodegenPoll {
        public Running {
            pollAfter = pollAfter == null || pollAfter.isNegative() ? Duration.ofSeconds(2) : pollAfter;
        }
    }

    record Succeeded(CodegenResult result) implements CodegenPoll {
        public Succeeded {
            Objects.requireNonNull(result, "result");
        }
    }

    record Failed(StepError error) implements CodegenPoll {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
