package io.voltworkflow.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.outbox.DeliveryOutbox;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.StoreInUseException;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.server.engines.ConfigFile;
import io.voltworkflow.server.engines.ConfiguredDelivery;
import io.voltworkflow.server.store.StoreSettings;
import io.voltworkflow.server.store.WorkflowStores;
import io.voltworkflow.server.webhooks.WebhookConfiguration;
import io.voltworkflow.server.webhooks.WebhookOptions;
import io.voltworkflow.server.webhooks.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The embedded defaults shared by {@code run} and {@code serve}: a data directory (default {@code ./volt-data}) holding
 * the store and the engines' git workspace, the file store, the built-in engines, and the spec's environment
 * variables for the orchestrator.
 */
final class EmbeddedOrchestrator implements AutoCloseable {
    static final String DATA_DIR_VARIABLE = "VOLT_WORKFLOW_DATA_DIR";
    static final String DEFAULT_DATA_DIR = "volt-data";
    static final Set<String> OPTIONS = Set.of(
            "data-dir",
            "store",
            "store-url",
            "workspace",
            "validate-with",
            "instance-id",
            "lease-ttl-ms",
            "config",
            "engine",
            "model",
            "deliver",
            "deliver-repo",
            "deliver-remote",
            "deliver-api",
            "base-branch",
            "deliver-token-file",
            "deliver-labels");
    /** The embedded options that take no value. */
    static final String DEMO_REPAIR = "demo-repair";

    static final Set<String> FLAGS = Set.of(DEMO_REPAIR);
    /** Command-line options of delivery and the {@code delivery} configuration field each one sets. */
    private static final Map<String, String> DELIVERY_OPTIONS = Map.of(
            "deliver",
            "forge",
            "deliver-repo",
            "repository",
            "deliver-remote",
            "remote",
            "deliver-api",
            "apiUrl",
            "base-branch",
            "baseBranch",
            "deliver-token-file",
            "token",
            "deliver-labels",
            "labels");

    static final String HELP =
            """
        --data-dir DIR       data directory (default ./volt-data, or $VOLT_WORKFLOW_DATA_DIR)
        --config FILE        engine configuration, YAML or JSON (default $VOLT_WORKFLOW_CONFIG,
                             else <data-dir>/volt.yaml if present); see docs/engines.md
        --engine NAME        a profile of the configuration file; without one: openai, anthropic,
                             ollama or builtin (default: from $OPENAI_API_KEY, $ANTHROPIC_API_KEY,
                             $OLLAMA_HOST, else builtin)
        --model MODEL        the model of an --engine shortcut
        --store NAME         workflow store: %s (default file)
        --store-url URL      location for stores that need one (e.g. a JDBC URL)
        --workspace DIR      git working directory the engines write code into (default <data-dir>/workspace)
        --validate-with CMD  validation command, run with sh -c in the workspace
                             (default $VOLT_WORKFLOW_VALIDATION_COMMAND, else the workspace's build)
        --demo-repair        built-in code generation writes first scaffolds that the workspace's
                             scaffold check rejects, to show a repair round with no model
        --instance-id ID     this instance's name in workflow leases (shared stores; default random)
        --lease-ttl-ms N     how long a dead instance's workflows stay leased (shared stores; default 30000)
        --deliver WHERE      local (default: commits on branch volt/<workflow> of the workspace), off, or a
                             forge that gets the branch and a pull request: github, gitlab, bitbucket,
                             bitbucket-datacenter, gitea, forgejo; see docs/delivery.md
        --deliver-repo REPO  the forge's repository, e.g. OWNER/NAME
        --deliver-remote R   where to push (a URL or a remote of the workspace; default origin)
        --deliver-api URL    the forge's API URL (GitHub Enterprise, self-hosted GitLab, Gitea, Bitbucket DC)
        --base-branch NAME   the branch delivery starts from (default: the workspace's current branch)
        --deliver-token-file FILE  the forge token (default $VOLT_DELIVERY_TOKEN)
        --deliver-labels L1,L2     labels of the pull request
      """.formatted(String.join(", ", WorkflowStores.available().keySet()));

    private final WorkflowOrchestrator orchestrator;
    private final EngineProvider engines;
    private final Optional<ConfiguredDelivery> delivery;
    private final Path dataDirectory;
    private final Path workspace;
    private final @Nullable Webhooks webhooks;

    private EmbeddedOrchestrator(
            WorkflowOrchestrator orchestrator,
            EngineProvider engines,
            Optional<ConfiguredDelivery> delivery,
            Path dataDirectory,
            Path workspace,
            @Nullable Webhooks webhooks) {
        this.orchestrator = orchestrator;
        this.engines = engines;
        this.delivery = delivery;
        this.dataDirectory = dataDirectory;
        this.workspace = workspace;
        this.webhooks = webhooks;
    }

    static Path dataDirectory(CliEnvironment env, Arguments args) {
        return env.resolve(args.value(
                "data-dir", Optional.ofNullable(env.variable(DATA_DIR_VARIABLE)).orElse(DEFAULT_DATA_DIR)));
    }

    static EmbeddedOrchestrator open(CliEnvironment env, Arguments args) {
        return open(env, args, Optional.empty());
    }

    /**
     * {@code pageBase}: where the web UI is when the configuration does not say, for links in pull requests and
     * notifications.
     */
    static EmbeddedOrchestrator open(CliEnvironment env, Arguments args, Optional<URI> pageBase) {
        Path dataDirectory = dataDirectory(env, args);
        Path workspace = args.value("workspace") == null
                ? dataDirectory.resolve("workspace")
                : env.resolve(args.value("workspace"));
        OrchestratorOptions.Builder options;
        try {
            options = OrchestratorOptions.fromEnvironment(env.variables());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            if (args.value("instance-id") != null) {
                options.instanceId(args.value("instance-id"));
            }
            if (args.value("lease-ttl-ms") != null) {
                options.leaseTtl(Duration.ofMillis(args.intValue("lease-ttl-ms", 30_000, 100, Integer.MAX_VALUE)));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String storeName = args.value("store", WorkflowStores.DEFAULT);
        if (!WorkflowStores.available().containsKey(storeName)) {
            throw new UsageException("unknown store '" + storeName + "' (available: "
                    + String.join(", ", WorkflowStores.available().keySet()) + ")");
        }
        WebhookOptions.Builder hooks = webhookOptions(env, args, dataDirectory);
        Path configFile = args.value("config") == null ? null : env.resolve(args.value("config"));
        // Read before anything is created: a bad delivery option leaves no data directory or workspace behind.
        Optional<ConfiguredDelivery> delivery = delivery(env, args, configFile, dataDirectory, workspace, pageBase);
        EngineProvider engines;
        try {
            createDirectories(dataDirectory);
            engines = env.engines().get();
        } catch (RuntimeException e) {
            delivery.ifPresent(ConfiguredDelivery::close);
            throw e;
        }
        WorkflowStore store = null;
        try {
            // The store first: a data directory in use by another process is refused before anything is written to it.
            try {
                store = WorkflowStores.open(
                        storeName,
                        new StoreSettings(
                                dataDirectory, Optional.ofNullable(args.value("store-url")), env.variables()));
            } catch (StoreInUseException e) {
                throw e;
            } catch (StoreException e) {
                throw new StoreRefusedException(e.getMessage());
            }
            Workspaces.prepare(workspace, env.err());
            Map<String, String> engineVariables = new HashMap<>(env.variables());
            if (args.value("validate-with") != null) {
                engineVariables.put(ConfiguredEngines.VALIDATION_VARIABLE, args.value("validate-with"));
            }
            EngineProvider.Setup setup = new EngineProvider.Setup(
                    workspace,
                    dataDirectory,
                    engineVariables,
                    configFile,
                    args.value("engine"),
                    args.value("model"),
                    env.err(),
                    args.flag(DEMO_REPAIR));
            Engines configured = engines.engines(setup);
            if (delivery.isPresent()) {
                try {
                    delivery.get().checkBeforeStart();
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                configured = configured.toBuilder()
                        .delivery(delivery.get().engine(configured.validation()))
                        .build();
                env.err().println(delivery.get().description());
            }
            WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
                    options.store(store).engines(configured).build());
            engines.bind(orchestrator);
            @Nullable Webhooks webhooks;
            try {
                webhooks = startWebhooks(orchestrator, store, hooks, pageBase);
            } catch (RuntimeException e) {
                orchestrator.close();
                throw e;
            }
            return new EmbeddedOrchestrator(orchestrator, engines, delivery, dataDirectory, workspace, webhooks);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            delivery.ifPresent(ConfiguredDelivery::close);
            engines.close();
            throw e;
        }
    }

    /** Delivery as the configuration file's {@code delivery} section and the {@code --deliver…} options say. */
    private static Optional<ConfiguredDelivery> delivery(
            CliEnvironment env,
            Arguments args,
            @Nullable Path configFile,
            Path dataDirectory,
            Path workspace,
            Optional<URI> pageBase) {
        Map<String, String> overrides = new HashMap<>();
        DELIVERY_OPTIONS.forEach((option, field) -> {
            String value = args.value(option);
            if (value != null) {
                overrides.put(
                        field,
                        option.equals("deliver-token-file") ? env.resolve(value).toString() : value);
            }
        });
        JsonNode section = ConfigFile.locate(configFile, env.variable(ConfigFile.VARIABLE), dataDirectory)
                .map(file -> ConfigFile.read(file).section("delivery"))
                .orElse(MissingNode.getInstance());
        try {
            return ConfiguredDelivery.read(
                    section,
                    overrides,
                    workspace,
                    env.variables()::get,
                    pageBase.map(base -> base + ConfiguredDelivery.WORKFLOW_PAGE_PATH));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The configuration file's {@code webhooks} section; a bad one is a usage error naming the field. */
    private static WebhookOptions.Builder webhookOptions(CliEnvironment env, Arguments args, Path dataDirectory) {
        Optional<Path> file = ConfigFile.locate(
                args.value("config") == null ? null : env.resolve(args.value("config")),
                env.variable(ConfigFile.VARIABLE),
                dataDirectory);
        try {
            return file.isPresent() && java.nio.file.Files.isRegularFile(file.get())
                    ? WebhookConfiguration.read(ConfigFile.read(file.get()), env::variable)
                    : WebhookOptions.builder();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static @Nullable Webhooks startWebhooks(
            WorkflowOrchestrator orchestrator,
            WorkflowStore store,
            WebhookOptions.Builder hooks,
            Optional<URI> pageBase) {
        WebhookOptions options = hooks.build();
        if (options.workflowPageBase().isEmpty() && pageBase.isPresent()) {
            options = options.toBuilder().workflowPageBase(pageBase.get()).build();
        }
        Optional<DeliveryOutbox> outbox = store.outbox();
        if (outbox.isEmpty()) {
            if (!options.subscriptions().isEmpty()) {
                throw new UsageException(
                        "webhooks are configured but this workflow store keeps no outbox to deliver them from");
            }
            return null;
        }
        return Webhooks.start(orchestrator, outbox.get(), options);
    }

    /** The file store in {@code directory}; a store that refuses to open is a {@link StoreRefusedException}. */
    static FileWorkflowStore openFileStore(Path directory) {
        try {
            return new FileWorkflowStore(directory);
        } catch (StoreException e) {
            throw new StoreRefusedException(e.getMessage());
        }
    }

    WorkflowOrchestrator orchestrator() {
        return orchestrator;
    }

    /** The configured engines, for the server's engine endpoints; empty for fixed engines. */
    Optional<io.voltworkflow.server.EngineCatalog> engines() {
        return engines.catalog();
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    /** The git working directory the engines write into; its {@code .volt/} holds patches and reports. */
    Path workspace() {
        return workspace;
    }

    /** Webhooks of this process; empty when its store keeps no outbox. */
    Optional<Webhooks> webhooks() {
        return Optional.ofNullable(webhooks);
    }

    /**
     * Stops the orchestrator, letting running steps finish within {@code grace}; the rest resume on the next open.
     * Webhooks stop first: notifications of the last events are derived from the store by the next process.
     */
    void shutdown(Duration grace) {
        try {
            if (webhooks != null) {
                webhooks.close();
            }
            orchestrator.shutdown(grace);
        } finally {
            delivery.ifPresent(ConfiguredDelivery::close);
            engines.close();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }
}
