package io.voltworkflow.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The git working directory the built-in engines write into. A workspace the CLI creates is a git repository whose
 * one commit on {@code main} holds a README and a scaffold check (its validation), so a first {@code run} completes
 * with no project at hand and its delivery branch has a base to start from.
 */
final class Workspaces {
    static final String SCAFFOLD_CHECK = "checks/scaffold-check.sh";
    static final List<String> SCAFFOLD_CHECK_COMMAND = List.of("sh", SCAFFOLD_CHECK);
    private static final String RESOURCES = "io/voltworkflow/server/cli/workspace/";

    private Workspaces() {}

    static boolean hasScaffoldCheck(Path workspace) {
        return Files.isRegularFile(workspace.resolve(SCAFFOLD_CHECK));
    }

    /** Makes sure {@code workspace} is a git repository; creates and seeds it when it does not exist yet. */
    static void prepare(Path workspace, java.io.PrintStream notices) {
        if (Files.exists(workspace.resolve(".git"))) {
            return;
        }
        boolean fresh = !Files.exists(workspace) || isEmptyDirectory(workspace);
        try {
            Files.createDirectories(workspace);
            git(workspace, "init", "-q", "-b", "main", workspace.toString());
            if (fresh) {
                copy("README.md", workspace.resolve("README.md"));
                copy("gitignore", workspace.resolve(".gitignore"));
                copy("scaffold-check.sh", workspace.resolve(SCAFFOLD_CHECK));
                git(workspace, "-C", workspace.toString(), "add", "-A");
                git(
                        workspace,
                        "-C",
                        workspace.toString(),
                        "-c",
                        "user.name=Volt Workflow",
                        "-c",
                        "user.email=volt-workflow@localhost",
                        "commit",
                        "-q",
                        "--no-verify",
                        "-m",
                        "Volt Workflow workspace");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the workspace " + workspace, e);
        }
        notices.println("Initialised a git workspace in " + workspace);
    }

    private static void git(Path workspace, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        try {
            Process git = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
                git.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the workspace " + workspace + " must be a git repository and git is not "
                            + "available to create one: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the workspace", e);
        }
    }

    private static boolean isEmptyDirectory(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = Workspaces.class.getClassLoader().getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IllegalStateException("workspace template " + resource + " is missing from the jar");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
        }
    }
}
