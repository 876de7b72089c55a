package io.voltworkflow.core.engine;

import io.voltworkflow.core.model.StepError;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** An engine call failed; the classified {@link StepError} decides retry and recovery. */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient StepError error;

    public EngineException(StepError error) {
        this(error, null);
    }

    public EngineException(StepError error, @Nullable Throwable cause) {
        super(Objects.requireNonNull(error, "error").toString(), cause);
        this.error = error;
    }

    public StepError error() {
        return error;
    }
}
