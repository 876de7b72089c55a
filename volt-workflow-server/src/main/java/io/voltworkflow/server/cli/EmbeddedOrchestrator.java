package io.voltworkflow.server.cli;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.StoreInUseException;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.server.store.StoreSettings;
import io.voltworkflow.server.store.WorkflowStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded defaults shared by {@code run} and {@code serve}: a data directory (default {@code ./volt-data}) holding
 * the store and the engines' git workspace, the file store, the built-in engines, and the spec's environment
 * variables for the orchestrator.
 */
final class EmbeddedOrchestrator implements AutoCloseable {
  static final String DATA_DIR_VARIABLE = "VOLT_WORKFLOW_DATA_DIR";
  static final String DEFAULT_DATA_DIR = "volt-data";
  static final Set<String> OPTIONS =
      Set.of("data-dir", "store", "store-url", "workspace", "validate-with", "instance-id", "lease-ttl-ms", "config",
          "engine", "model");
  static final String HELP = """
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
        --instance-id ID     this instance's name in workflow leases (shared stores; default random)
        --lease-ttl-ms N     how long a dead instance's workflows stay leased (shared stores; default 30000)
      """.formatted(String.join(", ", WorkflowStores.available().keySet()));

  private final WorkflowOrchestrator orchestrator;
  private final EngineProvider engines;
  private final Path dataDirectory;
  private final Path workspace;

  private EmbeddedOrchestrator(WorkflowOrchestrator orchestrator, EngineProvider engines, Path dataDirectory,
      Path workspace) {
    this.orchestrator = orchestrator;
    this.engines = engines;
    this.dataDirectory = dataDirectory;
    this.workspace = workspace;
  }

  static Path dataDirectory(CliEnvironment env, Arguments args) {
    return env.resolve(args.value("data-dir", Optional.ofNullable(env.variable(DATA_DIR_VARIABLE)).orElse(DEFAULT_DATA_DIR)));
  }

  static EmbeddedOrchestrator open(CliEnvironment env, Arguments args) {
    Path dataDirectory = dataDirectory(env, args);
    Path workspace = args.value("workspace") == null ? dataDirectory.resolve("workspace") : env.resolve(args.value("workspace"));
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
    createDirectories(dataDirectory);
    EngineProvider engines = env.engines().get();
    WorkflowStore store = null;
    try {
      // The store first: a data directory in use by another process is refused before anything is written to it.
      try {
        store = WorkflowStores.open(storeName,
            new StoreSettings(dataDirectory, Optional.ofNullable(args.value("store-url")), env.variables()));
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
      EngineProvider.Setup setup = new EngineProvider.Setup(workspace, dataDirectory, engineVariables,
          args.value("config") == null ? null : env.resolve(args.value("config")), args.value("engine"),
          args.value("model"), env.err());
      WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
          options.store(store).engines(engines.engines(setup)).build());
      engines.bind(orchestrator);
      return new EmbeddedOrchestrator(orchestrator, engines, dataDirectory, workspace);
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      }
      engines.close();
      throw e;
    }
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

  /** Stops the orchestrator, letting running steps finish within {@code grace}; the rest resume on the next open. */
  void shutdown(Duration grace) {
    try {
      orchestrator.shutdown(grace);
    } finally {
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
