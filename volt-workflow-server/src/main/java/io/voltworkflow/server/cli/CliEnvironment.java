package io.voltworkflow.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything the CLI touches outside itself, so tests run it in-process: output streams, environment variables,
 * whether output is an interactive terminal, the working directory, the engines, and the stop request of
 * {@code serve} (a JVM shutdown hook in production).
 *
 * @param stopRequested completes when {@code serve} should shut down (SIGINT or SIGTERM in production)
 */
record CliEnvironment(
        PrintStream out,
        PrintStream err,
        Map<String, String> variables,
        boolean interactive,
        Path workingDirectory,
        Supplier<EngineProvider> engines,
        CompletableFuture<Void> stopRequested) {

    CliEnvironment {
        variables = Map.copyOf(variables);
    }

    @Nullable
    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }
}
