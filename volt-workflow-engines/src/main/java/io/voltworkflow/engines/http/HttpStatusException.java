package io.voltworkflow.engines.http;

import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;

/** An engine call that got a non-2xx reply; the status lets protocols give some statuses their own meaning. */
public final class HttpStatusException extends EngineException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public HttpStatusException(int status, StepError error) {
        super(error);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
