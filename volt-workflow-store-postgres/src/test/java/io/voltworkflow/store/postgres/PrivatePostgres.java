package io.voltworkflow.store.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary directory, loopback only, an ephemeral port), so
 * a test can stop and start the server without disturbing the shared one other tests use. It uses the binaries of
 * the Debian package {@code .ci/install-postgres.sh} installs; PostgreSQL refuses to run as root, so as root the
 * cluster runs as the {@code postgres} user.
 */
final class PrivatePostgres implements BeforeEachCallback, AfterEachCallback {
    static final String USER = "volt";

    private Path directory;
    private Path bin;
    private int port;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        bin = binaries();
        directory = Files.createTempDirectory("volt-private-pg");
        if (root()) {
            run(List.of("chown", "postgres:postgres", directory.toString()));
        }
        port = freePort();
        pg(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                directory.resolve("data").toString(),
                "-U",
                USER,
                "--auth=trust",
                "--no-sync"));
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (directory == null) {
            return;
        }
        try {
            pg(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    directory.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop"));
        } catch (AssertionError alreadyStopped) {
            // Stopped by the test.
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server and returns once it accepts connections. */
    void start() throws IOException, InterruptedException {
        pg(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                directory.resolve("data").toString(),
                "-l",
                directory.resolve("server.log").toString(),
                "-w",
                "-o",
                "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"));
    }

    /** Stops the server as an operator's fast shutdown does: every session is ended, nothing committed is lost. */
    void stop() throws IOException, InterruptedException {
        pg(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                directory.resolve("data").toString(),
                "-m",
                "fast",
                "-w",
                "stop"));
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> asUser = new ArrayList<>();
        if (root()) {
            asUser.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        asUser.addAll(command);
        run(asUser);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() throws IOException {
        Path installed = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(installed)) {
            throw new AssertionError("PostgreSQL's binaries are not installed under " + installed
                    + ": run `bash .ci/install-postgres.sh`");
        }
        try (Stream<Path> versions = Files.list(installed)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> Integer.parseInt(
                            b.getParent().getFileName().toString().replaceAll("\\D", ""))))
                    .orElseThrow(() -> new AssertionError(
                            "no pg_ctl under " + installed + ": run `bash .ci/install-postgres.sh`"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
