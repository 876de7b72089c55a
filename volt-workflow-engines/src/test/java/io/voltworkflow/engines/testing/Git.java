package io.voltworkflow.engines.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code git} CLI in a test repository. */
public final class Git {
    private final Path directory;

    private Git(Path directory) {
        this.directory = directory;
    }

    /** A fresh repository with one commit, so diffs and {@code git apply} have a base. */
    public static Git init(Path directory) throws IOException, InterruptedException {
        Git git = new Git(directory);
        git.run("init", "-q", "-b", "main");
        git.run("config", "user.email", "test@volt.invalid");
        git.run("config", "user.name", "Volt Test");
        java.nio.file.Files.writeString(directory.resolve("README.md"), "# demo\n");
        git.run("add", "README.md");
        git.run("commit", "-q", "-m", "initial");
        return git;
    }

    /** A bare repository, the remote end of pushes. */
    public static Git bare(Path directory) throws IOException, InterruptedException {
        Git git = new Git(directory);
        git.run("init", "-q", "--bare", "-b", "main");
        return git;
    }

    public String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }
}
