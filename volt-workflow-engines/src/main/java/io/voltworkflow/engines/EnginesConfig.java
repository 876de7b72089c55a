package io.voltworkflow.engines;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Which engine serves each stage; {@code null} leaves a stage without an engine (its steps then fail with
 * {@code NO_HANDLER}). Task creation uses the analysis engine.
 */
public record EnginesConfig(
        @Nullable EngineConfig nlp,
        @Nullable EngineConfig codegen,
        @Nullable EngineConfig validation) {

    /** The embedded default: every stage offline, on the git working directory {@code workspace}. */
    public static EnginesConfig builtin(Path workspace) {
        EngineConfig builtin =
                EngineConfig.builder(EngineKind.BUILTIN).workspace(workspace).build();
        return new EnginesConfig(builtin, builtin, builtin);
    }
}
