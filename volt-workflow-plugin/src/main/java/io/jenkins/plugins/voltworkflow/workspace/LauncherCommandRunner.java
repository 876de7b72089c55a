package io.jenkins.plugins.voltworkflow.workspace;

import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;
import io.voltworkflow.core.engine.CancellationToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a validation command in a Pipeline step's workspace through its {@link Launcher}, so it runs on the agent
 * that holds the workspace, with the node's environment, and its output goes to the build log. Commands in the
 * workspace run one at a time ({@link OneAtATime}).
 */
public final class LauncherCommandRunner implements CommandRunner {

    private static final Logger LOGGER = Logger.getLogger(LauncherCommandRunner.class.getName());
    private static final int FINDING_LINES = 20;

    private final FilePath workspace;
    private final Launcher launcher;
    private final TaskListener listener;
    private final Map<String, String> environment;
    private final OneAtATime queue = new OneAtATime();

    public LauncherCommandRunner(
            FilePath workspace, Launcher launcher, TaskListener listener, Map<String, String> environment) {
        this.workspace = workspace;
        this.launcher = launcher;
        this.listener = listener;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public CompletionStage<CommandResult> run(CommandRun run, CancellationToken cancellation, Executor blocking) {
        return queue.submit(
                () -> CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return runNow(run, cancellation);
                            } catch (IOException e) {
                                throw new CompletionException(e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new CompletionException(e);
                            }
                        },
                        blocking),
                cancellation);
    }

    @SuppressWarnings("try") // the cancellation hook lasts as long as the process
    private CommandResult runNow(CommandRun run, CancellationToken cancellation)
            throws IOException, InterruptedException {
        FilePath patches = workspace.child(".volt");
        patches.mkdirs();
        patches.child(run.patchFileName()).write(run.patch(), "UTF-8");
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(run.environment());
        OutputTail tail = new OutputTail(listener.getLogger(), FINDING_LINES);
        List<String> shell;
        if (launcher.isUnix()) {
            // A script file, as the sh step does: a launcher expands $VAR and $$ in its arguments before the shell
            // sees them, so "sh -c COMMAND" would turn the shell's $$ into $. And -e, as the sh step does: killing
            // the process tree on abort ends children first, and the shell must stop there, not run the next command.
            FilePath script = patches.child(run.patchFileName() + ".validate.sh");
            script.write(run.command(), "UTF-8");
            shell = List.of("sh", "-e", script.getRemote());
        } else {
            shell = List.of("cmd.exe", "/C", run.command());
        }
        Proc process = launcher.launch()
                .cmds(shell.toArray(new String[0]))
                .envs(env)
                .pwd(workspace)
                .stdout(tail)
                .start();
        try (CancellationToken.Registration stop = cancellation.onCancel(() -> kill(process))) {
            return new CommandResult(process.join(), tail.lastLines());
        }
    }

    private static void kill(Proc process) {
        try {
            process.kill();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "cannot kill the validation command", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String describe() {
        return "workspace " + workspace.getRemote();
    }
}
