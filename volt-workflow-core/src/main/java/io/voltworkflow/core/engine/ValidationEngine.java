package io.voltworkflow.core.engine;

import java.util.concurrent.CompletionStage;

/** Validates generated code: builds, tests, linters. A result that did not pass fails the step (recoverable). */
public interface ValidationEngine {
    CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context);
}
