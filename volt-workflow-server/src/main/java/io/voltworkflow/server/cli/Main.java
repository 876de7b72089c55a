package io.voltworkflow.server.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@code java -jar volt-workflow.jar <command>}: see {@code volt help} and docs/cli.md. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    run(args, BuiltinEngines::new);
  }

  /** Runs a command with the given engines (tests record every engine call through this) and exits. */
  static void run(String[] args, Supplier<EngineProvider> engines) {
    CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    CompletableFuture<Integer> finished = new CompletableFuture<>();
    // SIGINT/SIGTERM: ask the command to stop, then wait for its graceful shutdown before the JVM exits.
    Thread hook = new Thread(() -> {
      stopRequested.complete(null);
      finished.join();
    }, "volt-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    CliEnvironment env = new CliEnvironment(System.out, System.err, System.getenv(), System.console() != null,
        Path.of("").toAbsolutePath(), engines, stopRequested);
    int code;
    try {
      code = new Cli(env).run(List.of(args));
    } finally {
      finished.complete(0);
    }
    if (!stopRequested.isDone()) {
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    System.exit(code);
  }
}
