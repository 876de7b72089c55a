package io.voltworkflow.server.cli;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.server.EngineCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Supplies the engines the CLI runs workflows with: the configured ones ({@link ConfiguredEngines}) in production. */
interface EngineProvider extends AutoCloseable {
    /**
     * What the command line and the environment say about engines.
     *
     * @param configFile {@code --config}, or {@code null}
     * @param engine {@code --engine}: a profile of the configuration file, or a provider shortcut; or {@code null}
     * @param model {@code --model} for a provider shortcut, or {@code null}
     * @param console where the one-line engine notice goes
     * @param demonstrateRepair {@code --demo-repair}: built-in code generation writes first scaffolds that fail the
     *     CLI workspace's check, so each task with dependencies shows a repair round
     */
    record Setup(
            Path workspace,
            Path dataDirectory,
            Map<String, String> environment,
            @Nullable Path configFile,
            @Nullable String engine,
            @Nullable String model,
            PrintStream console,
            boolean demonstrateRepair) {}

    Engines engines(Setup setup);

    /** Called once the orchestrator exists: engines may route by what a workflow says (its engine profile). */
    default void bind(WorkflowOrchestrator orchestrator) {}

    /** The configured engines as the server's API shows them; empty for fixed engines. */
    default Optional<EngineCatalog> catalog() {
        return Optional.empty();
    }

    /** Releases shared resources (HTTP connection pools). */
    @Override
    void close();
}
