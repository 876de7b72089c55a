package io.jenkins.plugins.voltworkflow.workspace;

import io.voltworkflow.core.engine.CancellationToken;
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

    /** Where the command runs, for progress messages ("workspace /ws/app on agent linux-1"). */
    String describe();

    /**
     * One run. The patch is written to {@code .volt/<patchFileName>} in the workspace and its relative path is in
     * the environment as {@code VOLT_PATCH_FILE}, so the command decides how to apply it (e.g. {@code git apply}).
     */
    record CommandRun(String command, Map<String, String> environment, String patchFileName, String patch) {
        public CommandRun {
            Objects.requireNonNull(command, "command");
            environment = Map.copyOf(environment);
            Objects.requireNonNull(patchFileName, "patchFileName");
            patch = patch == null ? "" : patch;
        }
    }

    /** The exit code and the last lines of output (the whole output went to the build log). */
    record CommandResult(int exitCode, List<String> lastLines) {
        public CommandResult {
            lastLines = List.copyOf(lastLines);
        }
    }
}
