package io.voltworkflow.engines;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one minimal, free request says about a configured engine: whether it answers, whether it accepted the
 * credential, whether it knows the model, and how long it took. {@code null} means "not applicable" or "not known"
 * (an endpoint without a model list). {@code problem} names what is wrong, or is {@code null} when nothing is.
 *
 * @param target where the engine is: a URL without query, a program, or a workspace
 * @param structuredOutput whether answers are requested as schema-constrained JSON (chat kinds)
 */
public record EngineCheck(
        EngineKind kind,
        String target,
        @Nullable String model,
        boolean reachable,
        @Nullable Boolean authOk,
        @Nullable Boolean modelAvailable,
        @Nullable Boolean structuredOutput,
        @Nullable Duration latency,
        @Nullable String problem) {

    public boolean ok() {
        return problem == null;
    }

    public EngineCheck withProblem(@Nullable String newProblem) {
        return new EngineCheck(
                kind, target, model, reachable, authOk, modelAvailable, structuredOutput, latency, newProblem);
    }
}
