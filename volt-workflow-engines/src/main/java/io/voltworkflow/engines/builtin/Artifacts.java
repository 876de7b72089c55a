package io.voltworkflow.engines.builtin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The workspace's {@code .volt/} directory: created on first use and kept out of git's view. */
final class Artifacts {
    private static final String EXCLUDE_LINE = "/.volt/";

    private Artifacts() {}

    /** {@code .volt/<first>/<more…>} with parent directories created; names must already be file-name safe. */
    static Path file(BuiltinOptions options, String first, String... more) {
        try {
            Path file = options.artifacts().resolve(Path.of(first, more)).normalize();
            if (!file.startsWith(options.artifacts())) {
                throw new IllegalArgumentException("artifact path leaves .volt/: " + file);
            }
            Files.createDirectories(file.getParent());
            excludeFromGit(options.workspace());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the artifact directory under " + options.artifacts(), e);
        }
    }

    /** A step or workflow name as a file name. */
    static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    private static void excludeFromGit(Path workspace) throws IOException {
        Path info = workspace.resolve(".git").resolve("info");
        if (!Files.isDirectory(workspace.resolve(".git"))) {
            return;
        }
        Files.createDirectories(info);
        Path exclude = info.resolve("exclude");
        if (Files.exists(exclude)
                && Files.readAllLines(exclude, StandardCharsets.UTF_8).contains(EXCLUDE_LINE)) {
            return;
        }
        Files.writeString(
                exclude,
                System.lineSeparator() + EXCLUDE_LINE + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
