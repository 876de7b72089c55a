package io.voltworkflow.server.operations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A `volt serve` child JVM, started with the test's class path, and the base URL it printed. Its output goes on to
 * {@code log} (when given), so a failing test can say what the instance did.
 */
public record ServeProcess(Process process, URI url) {
    private static final Pattern SERVING = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+/)");

    /** SIGKILL for the process and its children (validation commands); returns once it is gone. */
    public static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " outlived SIGKILL by 30 s");
        }
    }

    /** Runs {@code mainClass} with {@code args} and {@code environment}; returns once it prints where it serves. */
    static ServeProcess start(String name, String mainClass, List<String> args, Map<String, String> environment)
            throws IOException {
        return start(name, mainClass, args, environment, null);
    }

    public static ServeProcess start(
            String name, String mainClass, List<String> args, Map<String, String> environment, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher matcher = SERVING.matcher(line);
            if (matcher.find()) {
                Writer copy = log == null ? Writer.nullWriter() : Files.newBufferedWriter(log, StandardCharsets.UTF_8);
                copy.write(seen.toString());
                Thread drain = new Thread(
                        () -> {
                            try (copy) {
                                for (String next = output.readLine(); next != null; next = output.readLine()) {
                                    copy.write(next);
                                    copy.write('\n');
                                    copy.flush();
                                }
                            } catch (IOException ended) {
                                // The process ended and the JDK closed its output: nothing is left to drain.
                            }
                        },
                        "drain-" + name);
                drain.setDaemon(true);
                drain.start();
                return new ServeProcess(process, URI.create(matcher.group(1)));
            }
        }
        process.destroyForcibly();
        throw new AssertionError("instance " + name + " did not start:\n" + seen);
    }
}
