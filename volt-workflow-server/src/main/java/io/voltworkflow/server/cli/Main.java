package io.voltworkflow.server.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@code java -jar volt-workflow.jar <command>}: see {@code volt help} and docs/cli.md. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        run(args, ConfiguredEngines::new);
    }

    /** Runs a command with the given engines (tests record every engine call through this) and exits. */
    static void run(String[] args, Supplier<EngineProvider> engines) {
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        CompletableFuture<Integer> finished = new CompletableFuture<>();
        // SIGINT/SIGTERM: ask the command to stop, then wait for its graceful shutdown before the JVM exits. The JVM
        // would exit with the signal's status (143, 130) whatever the command returned: a graceful stop is a success,
        // so the hook ends the process with the command's own code.
        Thread hook = new Thread(
                () -> {
                    stopRequested.complete(null);
                    int code = finished.join();
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(code);
                },
                "volt-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Java 17 to 21: no console means no terminal (Console.isTerminal, for JDK 22 and newer, is not in the 17 API).
        @SuppressWarnings("SystemConsoleNull")
        boolean interactive = System.console() != null;
        CliEnvironment env = new CliEnvironment(
                System.out,
                System.err,
                System.getenv(),
                interactive,
                Path.of("").toAbsolutePath(),
                engines,
                stopRequested);
        int code = ExitCodes.SOFTWARE;
        try {
            code = new Cli(env).run(List.of(args));
        } finally {
            finished.complete(code);
        }
        if (!stopRequested.isDone()) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        System.exit(code);
    }
}
