package io.jenkins.plugins.voltworkflow.workspace;

import io.voltworkflow.core.engine.CancellationToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A {@link CommandRunner} over a local directory and a real {@code sh} process: what the Jenkins runner does on
 * an agent, without Jenkins and in the directory itself (no copy, dependencies' patches not applied), so the
 * validation path is tested with real processes.
 */
public final class ProcessCommandRunner implements CommandRunner {

    private final Path workspace;
    public final ByteArrayOutputStream log = new ByteArrayOutputStream();

    public ProcessCommandRunner(Path workspace) {
        this.workspace = workspace;
    }

    @Override
    @SuppressWarnings("try") // the cancellation hook lasts as long as the process
    public CompletionStage<CommandResult> run(CommandRun run, CancellationToken cancellation, Executor blocking) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        Path patches = Files.createDirectories(workspace.resolve(".volt"));
                        Files.writeString(patches.resolve(run.patchFileName()), run.patch());
                        ProcessBuilder builder = new ProcessBuilder("sh", "-c", run.command())
                                .directory(workspace.toFile())
                                .redirectErrorStream(true);
                        builder.environment().putAll(run.environment());
                        Process process = builder.start();
                        OutputTail tail = new OutputTail(log, 5);
                        try (CancellationToken.Registration stop = cancellation.onCancel(process::destroyForcibly);
                                InputStream output = process.getInputStream()) {
                            output.transferTo(tail);
                            return new CommandResult(process.waitFor(), tail.lastLines());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                },
                blocking);
    }

    /** Not needed without Jenkins: delivery's tip validation is tested on a real agent. */
    @Override
    public CompletionStage<CommandResult> runAtCommit(
            CommitRun run, CancellationToken cancellation, Executor blocking) {
        return CompletableFuture.failedStage(
                new UnsupportedOperationException("a process runner validates no commit checkout"));
    }

    @Override
    public String describe() {
        return "directory " + workspace;
    }

    public String output() {
        return log.toString(StandardCharsets.UTF_8);
    }
}
