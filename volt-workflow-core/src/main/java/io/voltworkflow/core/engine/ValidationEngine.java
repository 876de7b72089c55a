package io.voltworkflow.core.engine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Validates generated code: builds, tests, linters. A result that did not pass fails the step (recoverable). */
public interface ValidationEngine {
    CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context);

    /**
     * Validates {@code checkout}, another working tree of the repository this engine validates tasks in (delivery's
     * checkout of the branch tip), the way it validates a task there. Empty when this engine cannot be pointed at a
     * local directory (a remote service, an agent's workspace): delivery then says what it could check instead.
     */
    default Optional<CompletionStage<ValidationResult>> validateCheckout(
            Path checkout, ValidationRequest request, EngineContext context) {
        return Optional.empty();
    }
}
