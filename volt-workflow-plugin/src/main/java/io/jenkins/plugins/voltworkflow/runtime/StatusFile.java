package io.jenkins.plugins.voltworkflow.runtime;

import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.status.WorkflowStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last status of a workflow as a JSON file in the build's directory, written atomically, so the build page
 * still shows the DAG and results after the workflow's orchestrator is closed (build finished, controller
 * restarted) without opening the store.
 */
public final class StatusFile {

    private final Path file;

    private final Path directory;

    public StatusFile(Path directory) {
        this.directory = directory;
        this.file = directory.resolve("status.json");
    }

    public void write(WorkflowStatus status) {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, "status", ".tmp");
            Files.writeString(temporary, WorkflowJson.write(status), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The JSON text last written, if any. */
    public Optional<String> read() {
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
