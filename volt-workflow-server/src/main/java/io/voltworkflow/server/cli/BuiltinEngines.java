package io.voltworkflow.server.cli;

import io.voltworkflow.core.engine.Engines;
import java.nio.file.Path;
import java.util.Map;

/** The embedded default engines. */
final class BuiltinEngines implements EngineProvider {
  @Override
  public Engines engines(Path workspace, Map<String, String> environment) {
    return Engines.builder().build();
  }

  @Override
  public void close() {}
}
