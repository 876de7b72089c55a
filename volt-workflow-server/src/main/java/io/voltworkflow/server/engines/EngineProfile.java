package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A named set of engines, one per stage, that a workflow may choose; {@code budget} is the default spending limit of
 * workflows that run on it and set none themselves.
 *
 * @param source the profile as configured, with the host's defaults filled in: equal sources build equal engines
 * @param credentialIds the credential id each stage uses, to name it when a check fails
 */
public record EngineProfile(
        String name, EnginesConfig config, Budget budget, JsonNode source, Map<String, String> credentialIds) {

    /** The stages a profile configures, in the order a workflow reaches them. */
    public static final List<String> STAGES = List.of("nlp", "codegen", "validation");

    public EngineProfile {
        credentialIds = Map.copyOf(credentialIds);
        // A profile configures every stage (one the file leaves out runs the built-in engine), so stage() never fails.
        for (String stage : STAGES) {
            if (engine(config, stage) == null) {
                throw new IllegalArgumentException("profile " + name + ": no " + stage + " engine");
            }
        }
    }

    /** The engine of {@code stage}: one of {@link #STAGES}. */
    public EngineConfig stage(String stage) {
        return Objects.requireNonNull(engine(config, stage), stage);
    }

    private static @Nullable EngineConfig engine(EnginesConfig config, String stage) {
        return switch (stage) {
            case "nlp" -> config.nlp();
            case "codegen" -> config.codegen();
            case "validation" -> config.validation();
            default -> throw new IllegalArgumentException(stage + ": not a stage; the stages are " + STAGES);
        };
    }

    /** Whether analysis and code generation are the built-in offline engines (heuristics and scaffolds, not AI). */
    public boolean offline() {
        return stage("nlp").kind() == EngineKind.BUILTIN && stage("codegen").kind() == EngineKind.BUILTIN;
    }
}
