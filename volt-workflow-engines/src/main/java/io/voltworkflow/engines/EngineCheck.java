package io.voltworkflow.engines;

import java.time.Duration;

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
        String model,
        boolean reachable,
        Boolean authOk,
        Boolean modelAvailable,
        Boolean structuredOutput,
        Duration latency,
        String problem) {

    public boolean ok() {
        return problem == null;
    }

    public EngineCheck withProblem(String newProblem) {
        return new EngineCheck(
                kind, target, model, reachable, authOk, modelAvailable, structuredOutput, latency, newProblem);
    }
}
