package io.voltworkflow.server.cli;

import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The embedded default engines: the built-in offline engines of {@code volt-workflow-engines} on the workspace. The
 * validation command is {@code $VOLT_WORKFLOW_VALIDATION_COMMAND} (run with {@code sh -c}), else the scaffold check of
 * a workspace the CLI created, else the workspace's own build as the engines detect it.
 */
final class BuiltinEngines implements EngineProvider {
  static final String VALIDATION_VARIABLE = "VOLT_WORKFLOW_VALIDATION_COMMAND";

  private final EngineFactory factory = EngineFactory.create();

  @Override
  public Engines engines(Path workspace, Map<String, String> environment) {
    EngineConfig.Builder builtin = EngineConfig.builder(EngineKind.BUILTIN).workspace(workspace);
    String command = environment.get(VALIDATION_VARIABLE);
    if (command != null && !command.isBlank()) {
      builtin.validationCommand(List.of("sh", "-c", command));
    } else if (Workspaces.hasScaffoldCheck(workspace)) {
      builtin.validationCommand(Workspaces.SCAFFOLD_CHECK_COMMAND);
    }
    EngineConfig config = builtin.build();
    return factory.engines(new EnginesConfig(config, config, config));
  }

  @Override
  public void close() {
    factory.close();
  }
}
