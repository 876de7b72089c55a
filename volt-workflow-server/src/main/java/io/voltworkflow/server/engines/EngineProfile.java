package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import java.util.Map;

/**
 * A named set of engines, one per stage, that a workflow may choose; {@code budget} is the default spending limit of
 * workflows that run on it and set none themselves.
 *
 * @param source the profile as configured, with the host's defaults filled in: equal sources build equal engines
 * @param credentialIds the credential id each stage uses, to name it when a check fails
 */
public record EngineProfile(
        String name, EnginesConfig config, Budget budget, JsonNode source, Map<String, String> credentialIds) {

    public EngineProfile {
        credentialIds = Map.copyOf(credentialIds);
    }

    /** Whether analysis and code generation are the built-in offline engines (heuristics and scaffolds, not AI). */
    public boolean offline() {
        return config.nlp().kind() == EngineKind.BUILTIN && config.codegen().kind() == EngineKind.BUILTIN;
    }
}
