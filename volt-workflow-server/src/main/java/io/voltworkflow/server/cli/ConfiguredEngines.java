package io.voltworkflow.server.cli;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.server.EngineCatalog;
import io.voltworkflow.server.engines.ConfigFile;
import io.voltworkflow.server.engines.EngineProfile;
import io.voltworkflow.server.engines.EngineProfiles;
import io.voltworkflow.server.engines.EngineRouter;
import io.voltworkflow.server.engines.EngineShortcuts;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engines of {@code run} and {@code serve}: the profiles of the configuration file ({@code --config},
 * {@code $VOLT_WORKFLOW_CONFIG}, or {@code volt.yaml} in the data directory), else the provider shortcut of
 * {@code --engine}/{@code --model} and the environment, else the built-in offline engines, which the console then
 * names as not AI in one line. The built-in validation command is {@code $VOLT_WORKFLOW_VALIDATION_COMMAND} (run with
 * {@code sh -c}), else the scaffold check of a workspace the CLI created, else the workspace's build as detected.
 */
final class ConfiguredEngines implements EngineProvider {
    static final String VALIDATION_VARIABLE = "VOLT_WORKFLOW_VALIDATION_COMMAND";
    static final String OFFLINE_NOTICE = "offline engines: heuristic analysis and scaffold code generation, not AI — "
            + "configure an engine: docs/engines.md";

    private @Nullable EngineRouter router;

    @Override
    public Engines engines(Setup setup) {
        EngineRouter router = new EngineRouter(loader(setup));
        this.router = router;
        EngineProfile profile = router.profiles().profile(null);
        setup.console().println(profile.offline() ? OFFLINE_NOTICE : describe(profile));
        return router.engines();
    }

    static Supplier<EngineProfiles> loader(Setup setup) {
        EngineProfiles.HostDefaults host =
                new EngineProfiles.HostDefaults(setup.workspace(), validationCommand(setup), setup.demonstrateRepair());
        Optional<Path> file = ConfigFile.locate(
                setup.configFile(), setup.environment().get(ConfigFile.VARIABLE), setup.dataDirectory());
        if (file.isPresent()) {
            if (setup.model() != null) {
                throw new IllegalArgumentException("--model applies to the --engine shortcuts; with configuration file "
                        + file.get() + " set the model in its profile");
            }
            return () -> select(
                    EngineProfiles.read(ConfigFile.read(file.get()), host, setup.environment()::get), setup.engine());
        }
        String provider = EngineShortcuts.provider(setup.engine(), setup.environment()::get);
        ConfigFile shortcut =
                ConfigFile.of(null, EngineShortcuts.config(provider, setup.model(), setup.environment()::get));
        return () -> EngineProfiles.read(shortcut, host, setup.environment()::get);
    }

    /** {@code --engine NAME} with a configuration file: that profile is the default of this process. */
    private static EngineProfiles select(EngineProfiles profiles, @Nullable String engine) {
        return engine == null ? profiles : new EngineProfiles(engine, profiles.profiles());
    }

    private static @Nullable List<String> validationCommand(Setup setup) {
        String command = setup.environment().get(VALIDATION_VARIABLE);
        if (command != null && !command.isBlank()) {
            return List.of("sh", "-c", command);
        }
        return Workspaces.hasScaffoldCheck(setup.workspace()) ? Workspaces.SCAFFOLD_CHECK_COMMAND : null;
    }

    static String describe(EngineProfile profile) {
        return "engines: profile '" + profile.name() + "' — analysis "
                + profile.stage("nlp").kind().id()
                + model(profile.stage("nlp").model()) + ", code generation "
                + profile.stage("codegen").kind().id()
                + model(profile.stage("codegen").model()) + ", validation "
                + profile.stage("validation").kind().id();
    }

    private static String model(@Nullable String model) {
        return model == null ? "" : " " + model;
    }

    @Override
    public void bind(WorkflowOrchestrator orchestrator) {
        Objects.requireNonNull(router, "engines() comes first").bind(orchestrator);
    }

    @Override
    public Optional<EngineCatalog> catalog() {
        return Optional.ofNullable(router);
    }

    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
    }
}
