package io.jenkins.plugins.voltworkflow.workspace;

import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import hudson.model.Computer;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import hudson.util.DirScanner;
import io.voltworkflow.core.engine.CancellationToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a validation command through a Pipeline step's {@link Launcher}, so it runs on the agent that holds the
 * workspace, with the node's environment, and its output goes to the build log.
 *
 * <p>Every run has a tree of its own: the lent workspace is copied (without its {@code .volt} directory) to a
 * sibling directory leased from the agent's {@link WorkspaceList}, {@code <workspace>@volt-<task>}, the patches of
 * the tasks it depends on are applied there with {@code git apply}, and the command runs there; the copy is deleted
 * and the lease released when it ends. So validations of one workspace run side by side without seeing each
 * other's patches or builds, and the lent workspace itself is never changed.
 */
public final class LauncherCommandRunner implements CommandRunner {

    private static final Logger LOGGER = Logger.getLogger(LauncherCommandRunner.class.getName());
    private static final int FINDING_LINES = 20;
    static final String TREE_SUFFIX = "@volt-";

    private final FilePath workspace;
    private final Launcher launcher;
    private final TaskListener listener;
    private final Map<String, String> environment;

    public LauncherCommandRunner(
            FilePath workspace, Launcher launcher, TaskListener listener, Map<String, String> environment) {
        this.workspace = workspace;
        this.launcher = launcher;
        this.listener = listener;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public CompletionStage<CommandResult> run(CommandRun run, CancellationToken cancellation, Executor blocking) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return runInOwnTree(run, cancellation);
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CompletionException(e);
                    }
                },
                blocking);
    }

    private CommandResult runInOwnTree(CommandRun run, CancellationToken cancellation)
            throws IOException, InterruptedException {
        Computer computer = workspace.toComputer();
        if (computer == null) {
            return new CommandResult(-1, List.of("the agent of " + workspace.getRemote() + " is offline"));
        }
        WorkspaceList.Lease lease =
                computer.getWorkspaceList().allocate(workspace.withSuffix(TREE_SUFFIX + run.name()));
        FilePath tree = lease.path;
        try {
            // A tree left behind by a run the controller could not clean up (it stopped) is never reused.
            tree.deleteRecursive();
            workspace.copyRecursiveTo(new DirScanner.Glob("**/*", ".volt/**", false), tree, "validation tree");
            return runIn(tree, run, cancellation);
        } finally {
            try {
                tree.deleteRecursive();
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "cannot delete the validation tree " + tree.getRemote(), e);
            } finally {
                lease.release();
            }
        }
    }

    private CommandResult runIn(FilePath tree, CommandRun run, CancellationToken cancellation)
            throws IOException, InterruptedException {
        FilePath patches = tree.child(".volt");
        patches.mkdirs();
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(run.environment());
        boolean repository = tree.child(".git").exists();
        FilePath parent = tree.getParent();
        if (!repository && parent != null) {
            // A copy outside its repository: git must not take an enclosing directory's repository for this one's.
            env.put("GIT_CEILING_DIRECTORIES", parent.getRemote());
        }
        OutputTail tail = new OutputTail(listener.getLogger(), FINDING_LINES);
        for (DependencyPatch dependency : run.dependencies()) {
            patches.child(dependency.fileName()).write(dependency.patch(), "UTF-8");
            List<String> apply = new ArrayList<>(List.of("git", "apply", "--whitespace=nowarn"));
            if (repository) {
                apply.add("--index"); // as a command applying its own patch with --index expects the index
            }
            apply.add(".volt/" + dependency.fileName());
            int exitCode = launchAndWait(apply, env, tree, tail, cancellation);
            if (exitCode != 0) {
                List<String> findings = new ArrayList<>(tail.lastLines());
                findings.add("the patch of task " + dependency.taskId()
                        + ", which this task depends on, does not apply to a copy of the workspace");
                return new CommandResult(exitCode, findings);
            }
        }
        patches.child(run.patchFileName()).write(run.patch(), "UTF-8");
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
        return new CommandResult(launchAndWait(shell, env, tree, tail, cancellation), tail.lastLines());
    }

    @SuppressWarnings("try") // the cancellation hook lasts as long as the process
    private int launchAndWait(
            List<String> command,
            Map<String, String> env,
            FilePath directory,
            OutputTail output,
            CancellationToken cancellation)
            throws IOException, InterruptedException {
        if (cancellation.isCancelled()) {
            throw new CancellationException("cancelled before " + command.get(0) + " started");
        }
        Proc process = launcher.launch()
                .cmds(command.toArray(new String[0]))
                .envs(env)
                .pwd(directory)
                .stdout(output)
                .start();
        try (CancellationToken.Registration stop = cancellation.onCancel(() -> kill(process))) {
            return process.join();
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
        return "a copy of workspace " + workspace.getRemote();
    }
}
