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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return onAgent(() -> runInOwnTree(run, cancellation), blocking);
    }

    @Override
    public CompletionStage<CommandResult> runAtCommit(
            CommitRun run, CancellationToken cancellation, Executor blocking) {
        return onAgent(() -> runInCheckout(run, cancellation), blocking);
    }

    private interface AgentWork {
        CommandResult run() throws IOException, InterruptedException;
    }

    private static CompletionStage<CommandResult> onAgent(AgentWork work, Executor blocking) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return work.run();
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
        return inLeasedTree(run.name(), tree -> {
            workspace.copyRecursiveTo(new DirScanner.Glob("**/*", ".volt/**", false), tree, "validation tree");
            return runIn(tree, run, cancellation);
        });
    }

    private interface TreeWork {
        CommandResult run(FilePath tree) throws IOException, InterruptedException;
    }

    /**
     * Runs {@code work} in an empty {@code <workspace>@volt-<name>} leased from the agent's workspace list (two
     * builds never share one), deleted and released afterwards.
     */
    private CommandResult inLeasedTree(String name, TreeWork work) throws IOException, InterruptedException {
        Computer computer = workspace.toComputer();
        if (computer == null) {
            return new CommandResult(-1, List.of("the agent of " + workspace.getRemote() + " is offline"));
        }
        WorkspaceList.Lease lease = computer.getWorkspaceList().allocate(workspace.withSuffix(TREE_SUFFIX + name));
        FilePath tree = lease.path;
        try {
            // A tree left behind by a run the controller could not clean up (it stopped) is never reused.
            tree.deleteRecursive();
            tree.mkdirs();
            return work.run(tree);
        } finally {
            try {
                tree.deleteRecursive();
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "cannot delete " + tree.getRemote(), e);
            } finally {
                lease.release();
            }
        }
    }

    /**
     * The commit checked out in {@code <workspace>@volt-tip}, leased like a task's tree. The checkout is a clone
     * sharing the workspace repository's objects when the workspace is one (nothing is written to the workspace),
     * else an empty repository; the commits come from a bundle written on the controller, holding only those after
     * the base when the checkout has the base already. Its files are the base's, {@code HEAD} is the commit, and the
     * change from the base to the commit is the run's patch: applied as a task's patch is, it gives exactly the
     * commit's tree with nothing to commit.
     */
    private CommandResult runInCheckout(CommitRun run, CancellationToken cancellation)
            throws IOException, InterruptedException {
        return inLeasedTree("tip", tree -> checkOutAndRun(tree, run, cancellation));
    }

    private CommandResult checkOutAndRun(FilePath tree, CommitRun run, CancellationToken cancellation)
            throws IOException, InterruptedException {
        try {
            Map<String, String> env = new HashMap<>(environment);
            env.putAll(run.environment());
            env.put("GIT_TERMINAL_PROMPT", "0");
            OutputTail tail = new OutputTail(listener.getLogger(), FINDING_LINES);
            Git git = new Git(env, tail, cancellation);
            // Not a repository (or a folder inside one): an empty repository, and the bundle brings the whole history.
            if (!git.probe(
                    workspace,
                    "clone",
                    "--quiet",
                    "--no-checkout",
                    "--shared",
                    workspace.getRemote(),
                    tree.getRemote())) {
                tree.deleteRecursive();
                tree.mkdirs();
                git.require(tree, "git init", "init", "--quiet");
            }
            FilePath bundle = tree.child(".git").child("volt-tip.bundle");
            boolean hasBase = run.base() != null && git.probe(tree, "cat-file", "-e", run.base() + "^{commit}");
            Path written = run.bundles().write(!hasBase);
            try {
                bundle.copyFrom(new FilePath(written.toFile()));
            } finally {
                Files.deleteIfExists(written);
            }
            git.require(
                    tree,
                    "git fetch",
                    "fetch",
                    "--quiet",
                    "--no-tags",
                    bundle.getRemote(),
                    "+" + run.ref() + ":refs/volt/tip");
            if (run.base() != null) {
                git.require(
                        tree,
                        "git checkout",
                        "-c",
                        "advice.detachedHead=false",
                        "checkout",
                        "--quiet",
                        "--detach",
                        run.base());
            }
            git.require(tree, "git update-ref", "update-ref", "--no-deref", "HEAD", run.head());
            FilePath patches = tree.child(".volt");
            patches.mkdirs();
            tree.child(".git").child("info").mkdirs();
            tree.child(".git").child("info").child("exclude").write("/.volt/\n", "UTF-8");
            // HEAD (the commit) against the index (the base), reversed: the change from the base to the commit.
            git.require(
                    tree,
                    "git diff",
                    "diff",
                    "--cached",
                    "-R",
                    "--binary",
                    "--no-color",
                    "--no-ext-diff",
                    "--output=.volt/" + run.patchFileName());
            bundle.delete();
            List<String> shell = shell(patches, run.patchFileName(), run.command());
            return new CommandResult(launchAndWait(shell, env, tree, tail, cancellation), tail.lastLines());
        } catch (GitFailed e) {
            List<String> findings = new ArrayList<>(e.output);
            findings.add(e.getMessage());
            return new CommandResult(e.exitCode, findings);
        }
    }

    /** Git run by the launcher, its output in the build log (probes' output is not). */
    private final class Git {
        private final Map<String, String> env;
        private final OutputTail tail;
        private final CancellationToken cancellation;

        Git(Map<String, String> env, OutputTail tail, CancellationToken cancellation) {
            this.env = env;
            this.tail = tail;
            this.cancellation = cancellation;
        }

        boolean probe(FilePath directory, String... arguments) throws IOException, InterruptedException {
            return launcher.launch()
                            .cmds(command(arguments))
                            .envs(env)
                            .pwd(directory)
                            .stdout(OutputStream.nullOutputStream())
                            .quiet(true)
                            .join()
                    == 0;
        }

        void require(FilePath directory, String what, String... arguments) throws IOException, InterruptedException {
            int exitCode = launchAndWait(List.of(command(arguments)), env, directory, tail, cancellation);
            if (exitCode != 0) {
                throw new GitFailed(
                        exitCode, what + " failed (exit " + exitCode + ") checking out the commit", tail.lastLines());
            }
        }

        private String[] command(String... arguments) {
            String[] command = new String[arguments.length + 1];
            command[0] = "git";
            System.arraycopy(arguments, 0, command, 1, arguments.length);
            return command;
        }
    }

    /** A git command that failed while the checkout was made: the run fails with its output. */
    private static final class GitFailed extends IOException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;
        private final transient List<String> output;

        GitFailed(int exitCode, String message, List<String> output) {
            super(message);
            this.exitCode = exitCode;
            this.output = List.copyOf(output);
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
        List<String> shell = shell(patches, run.patchFileName(), run.command());
        return new CommandResult(launchAndWait(shell, env, tree, tail, cancellation), tail.lastLines());
    }

    private List<String> shell(FilePath patches, String patchFileName, String command)
            throws IOException, InterruptedException {
        if (!launcher.isUnix()) {
            return List.of("cmd.exe", "/C", command);
        }
        // A script file, as the sh step does: a launcher expands $VAR and $$ in its arguments before the shell
        // sees them, so "sh -c COMMAND" would turn the shell's $$ into $. And -e, as the sh step does: killing
        // the process tree on abort ends children first, and the shell must stop there, not run the next command.
        FilePath script = patches.child(patchFileName + ".validate.sh");
        script.write(command, "UTF-8");
        return List.of("sh", "-e", script.getRemote());
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
