package io.voltworkflow.server.cli;

import io.voltworkflow.core.engine.Engines;
import java.nio.file.Path;
import java.util.Map;

/** Supplies the engines the CLI runs workflows with; the built-in offline engines by default. */
interface EngineProvider extends AutoCloseable {
  Engines engines(Path workspace, Map<String, String> environment);

  /** Releases shared resources (HTTP connection pools). */
  @Override
  void close();
}
