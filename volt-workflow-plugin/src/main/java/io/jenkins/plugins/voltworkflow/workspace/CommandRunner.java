package io.jenkins.plugins.voltworkflow.workspace;

import io.voltworkflow.core.engine.CancellationToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Runs a validation command in a build workspace (on Jenkins: on the agent that holds it). */
public interface CommandRunner {

    /**
     * Writes the patch next to the workspace, then runs the command there. Blocking work goes to {@code blocking};
     * cancellation kills the process.
     */
    CompletionStage<CommandResult> run(CommandRun run, CancellationToken cancellation, Executor blocking);

    /**
     * Runs {@code run.command()} once for a commit made elsewhere (delivery's branch tip), in a clean checkout of its
     * own: the commit's tree and nothing of the workspace, with {@code HEAD} at the commit. As a task's run gets its
     * own patch to apply, the checkout holds the base's files and {@code .volt/<patchFileName>} the whole change from
     * the base to the commit, so the same command validates exactly the commit's tree.
     */
    CompletionStage<CommandResult> runAtCommit(CommitRun run, CancellationToken cancellation, Executor blocking);

    /** Where the command runs, for progress messages ("workspace /ws/app on agent linux-1"). */
    String describe();

    /**
     * One run, in a tree of the task's own. The patch is written to {@code .volt/<patchFileName>} there and its
     * relative path is in the environment as {@code VOLT_PATCH_FILE}, so the command decides how to apply it (e.g.
     * {@code git apply}). The patches of the tasks it depends on ({@code dependencies}, dependencies first) are
     * applied before the command runs: the task's code was generated on top of them.
     */
    record CommandRun(
            String command,
            Map<String, String> environment,
            String patchFileName,
            String patch,
            List<DependencyPatch> dependencies) {
        public CommandRun {
            Objects.requireNonNull(command, "command");
            environment = Map.copyOf(environment);
            Objects.requireNonNull(patchFileName, "patchFileName");
            patch = patch == null ? "" : patch;
            dependencies = List.copyOf(dependencies);
        }

        /** The task's file-name-safe name: its patch file's name without {@code .patch}. */
        public String name() {
            return patchFileName.substring(0, patchFileName.length() - ".patch".length());
        }
    }

    /** The patch of a task the validated task depends on, written to {@code .volt/<fileName>} and applied. */
    record DependencyPatch(String taskId, String fileName, String patch) {
        public DependencyPatch {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(patch, "patch");
        }
    }

    /**
     * One run at a commit: {@code head} on {@code ref}, built on {@code base} (null for a root commit). Its commits
     * come from {@code bundles}, where they were made.
     */
    record CommitRun(
            String command,
            Map<String, String> environment,
            String patchFileName,
            String ref,
            String base,
            String head,
            Bundles bundles) {
        public CommitRun {
            Objects.requireNonNull(command, "command");
            environment = Map.copyOf(environment);
            Objects.requireNonNull(patchFileName, "patchFileName");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(bundles, "bundles");
        }
    }

    /** Writes the commits of a {@link CommitRun} to a bundle file on this (the controller's) machine. */
    @FunctionalInterface
    interface Bundles {
        /**
         * A bundle of {@code ref} with only the commits after the base ({@code whole} false: the receiver has the
         * base) or with all of its history; the caller deletes the file.
         */
        Path write(boolean whole) throws IOException;
    }

    /** The exit code and the last lines of output (the whole output went to the build log). */
    record CommandResult(int exitCode, List<String> lastLines) {
        public CommandResult {
            lastLines = List.copyOf(lastLines);
        }
    }
}
