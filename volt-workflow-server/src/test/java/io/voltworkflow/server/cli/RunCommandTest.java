package io.voltworkflow.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.store.FileWorkflowStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer meets on the command line: help, refusals in one line, resume, an honest summary. */
class RunCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int volt(String... args) {
        return volt(Map.of(), args);
    }

    private int volt(Map<String, String> variables, String... args) {
        CliEnvironment env = new CliEnvironment(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                variables,
                false,
                dir,
                ConfiguredEngines::new,
                new CompletableFuture<>());
        return new Cli(env).run(List.of(args));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCommandHasItsOwnHelpAndThereIsAVersion() {
        assertThat(volt("run", "--help")).isZero();
        assertThat(out()).startsWith("Usage: volt run").contains("--resume ID");
        out.reset();
        assertThat(volt("serve", "-h")).isZero();
        assertThat(out()).startsWith("Usage: volt serve");
        out.reset();
        assertThat(volt("--version")).isZero();
        assertThat(out()).startsWith("volt-workflow ");
        out.reset();
        assertThat(volt("help")).isZero();
        assertThat(out()).contains("70 internal error").contains("75 data directory in use");
    }

    @Test
    void aBlankRequirementIsCalledBlank() {
        assertThat(volt("run", "   ", "--data-dir", dir.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("the requirement is blank").doesNotContain("exactly one");
    }

    @Test
    void aDataDirectoryInUseIsOneLineWithItsOwnExitCode() throws Exception {
        Path data = dir.resolve("data");
        try (FileWorkflowStore held = new FileWorkflowStore(Files.createDirectories(data.resolve("store")))) {
            assertThat(volt("run", "Users can rename buckets", "--data-dir", data.toString()))
                    .isEqualTo(ExitCodes.IN_USE);
        }
        assertThat(err().lines())
                .singleElement()
                .asString()
                .contains("data directory " + data + " is in use by process "
                        + ProcessHandle.current().pid())
                .contains("--data-dir");
    }

    @Test
    void theSummarySaysWhereThePatchesAndReportsAreAndThatTheEnginesAreNotAi() {
        int code = volt(
                "run",
                "Users can rename buckets, and document it",
                "--data-dir",
                dir.resolve("data").toString(),
                "--workflow-id",
                "wf-summary");

        assertThat(code).as(out() + err()).isZero();
        Path workspace = dir.resolve("data/workspace");
        assertThat(out())
                .contains("Result: 2 tasks, 2 validated")
                .contains("planned   4 more steps")
                .contains("Patches:            " + workspace.resolve(".volt/patches/wf-summary") + "/ (2 files)")
                .contains("Validation reports: " + workspace.resolve(".volt/validation/wf-summary") + "/ (2 files)")
                .contains("Engines:            analysis builtin-heuristic (built-in, not AI); code generation scaffold "
                        + "(built-in, not AI); validation builtin-validation (built-in, not AI)");
    }

    @Test
    void theOfflineRunCommitsOnItsOwnBranchWithoutTouchingTheCheckoutAndSaysWhereTheBranchIs() throws Exception {
        Path data = dir.resolve("data");
        assertThat(volt(
                        "run",
                        "Users can rename buckets, and document it",
                        "--data-dir",
                        data.toString(),
                        "--workflow-id",
                        "wf-branch"))
                .as(out() + err())
                .isZero();

        Path workspace = data.resolve("workspace");
        assertThat(err())
                .contains("delivery: commits on branch volt/{workflowId} in " + workspace
                        + " (no pull request; --deliver github|gitlab|bitbucket|gitea opens one)");
        assertThat(out())
                .contains("Result: 2 tasks, 2 validated; branch volt/wf-branch (2 commits) in " + workspace)
                .contains("Branch:             volt/wf-branch in " + workspace);
        assertThat(git(workspace, "log", "--format=%(trailers:key=Volt-Task-Id,valueonly)", "main..volt/wf-branch")
                        .lines()
                        .filter(line -> !line.isBlank()))
                .containsExactly("T2", "T1");
        assertThat(git(workspace, "symbolic-ref", "--short", "HEAD")).isEqualTo("main\n");

        assertThat(volt(
                        "run",
                        "Users can rename buckets",
                        "--data-dir",
                        data.toString(),
                        "--workflow-id",
                        "wf-off",
                        "--deliver",
                        "off"))
                .as(out() + err())
                .isZero();
        assertThat(git(workspace, "branch", "--list", "volt/wf-off")).isEmpty();
    }

    @Test
    void aBadDeliveryOptionIsAUsageErrorNamingTheField() {
        assertThat(volt(
                        "run",
                        "Users can rename buckets",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--deliver",
                        "github"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err())
                .contains("delivery.repository: required for forge 'github' (e.g. OWNER/NAME; --deliver-repo)");
        assertThat(volt(
                        "run",
                        "Users can rename buckets",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--deliver",
                        "sourcehut",
                        "--deliver-repo",
                        "a/b"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("delivery.forge: unknown forge 'sourcehut'");
    }

    @Test
    void aBaseBranchThatDoesNotExistIsRefusedBeforeAnyWorkflowStarts() {
        Path data = dir.resolve("data");
        assertThat(volt(
                        "run",
                        "Users can rename buckets",
                        "--data-dir",
                        data.toString(),
                        "--workflow-id",
                        "wf-nosuch",
                        "--base-branch",
                        "nosuch"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("delivery: the base branch 'nosuch' does not exist in " + data.resolve("workspace"));
        assertThat(out()).doesNotContain("wf-nosuch");
        assertThat(data.resolve("workspace/.volt/patches/wf-nosuch")).doesNotExist();
    }

    @Test
    void aPullRequestOptionWithLocalDeliveryIsRefusedNamingTheOption() {
        assertThat(volt(
                        "run",
                        "Users can rename buckets",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--deliver",
                        "local",
                        "--deliver-labels",
                        "volt"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err())
                .contains("--deliver-labels applies to pull requests, and local delivery opens none; remove it, "
                        + "or deliver to a forge");
    }

    @Test
    void aBadDeliveryTargetCreatesNothing() {
        Path data = dir.resolve("data");
        assertThat(volt("run", "Users can rename buckets", "--data-dir", data.toString(), "--deliver", "nowhere"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("delivery.forge: unknown forge 'nowhere'");
        assertThat(data).doesNotExist();
    }

    @Test
    void theEnginesLineNamesTheValidationEngineEvenWhenEveryValidationFailed() {
        int code = volt(
                "run",
                "Users can rename buckets",
                "--data-dir",
                dir.resolve("data").toString(),
                "--validate-with",
                "false",
                "--max-repair-rounds",
                "0");

        assertThat(code).as(out() + err()).isEqualTo(ExitCodes.FAILED);
        assertThat(out()).contains("validation builtin-validation (built-in, not AI)");
    }

    private static String git(Path directory, String... args) throws Exception {
        java.util.List<String> command =
                new java.util.ArrayList<>(java.util.List.of("git", "-C", directory.toString()));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void theHeaderEscapesControlCharactersAndShortensALongRequirement() {
        String requirement = "Users can rename \u202Ebuckets\u0007 " + "and more ".repeat(40);

        assertThat(volt(
                        Map.of("VOLT_WORKFLOW_VALIDATION_COMMAND", "true"),
                        "run",
                        requirement,
                        "--data-dir",
                        dir.resolve("data").toString()))
                .isZero();

        String header = out().lines()
                .filter(line -> line.startsWith("Workflow "))
                .findFirst()
                .orElseThrow();
        assertThat(header)
                .contains("rename \\u202Ebuckets\\u0007 and more")
                .doesNotContain("\u202E")
                .endsWith("… (" + requirement.length() + " characters)");
        assertThat(header.substring(header.indexOf(": ") + 2)).hasSizeLessThan(160 + " (1000 characters)".length());
    }

    @Test
    void aFailedWorkflowIsRefusedAsANewRunAndResumedWithResume() {
        String data = dir.resolve("data").toString();
        Map<String, String> failing =
                Map.of("VOLT_WORKFLOW_VALIDATION_COMMAND", "exit 3", "WORKFLOW_DEFAULT_MAX_RETRIES", "0");
        assertThat(volt(failing, "run", "Users can rename buckets", "--data-dir", data, "--workflow-id", "wf-again"))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(out()).contains("volt run --resume wf-again");

        err.reset();
        assertThat(volt(failing, "run", "Users can rename buckets", "--data-dir", data, "--workflow-id", "wf-again"))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err())
                .contains("workflow wf-again exists already (failed); continue it with: volt run --resume wf-again");

        out.reset();
        assertThat(volt(
                        Map.of("VOLT_WORKFLOW_VALIDATION_COMMAND", "true"),
                        "run",
                        "--resume",
                        "wf-again",
                        "--data-dir",
                        data))
                .as(out() + err())
                .isZero();
        assertThat(out()).contains("Resuming the failed workflow").contains("wf-again: COMPLETED");

        err.reset();
        assertThat(volt("run", "--resume", "wf-nothing", "--data-dir", data)).isEqualTo(ExitCodes.FAILED);
        assertThat(err()).contains("there is no workflow wf-nothing in " + data);
    }

    @Test
    void resumeWithoutAServerContinuesTheWorkflowInThisProcess() throws Exception {
        String data = dir.resolve("data").toString();
        Map<String, String> failing =
                Map.of("VOLT_WORKFLOW_VALIDATION_COMMAND", "exit 3", "WORKFLOW_DEFAULT_MAX_RETRIES", "0");
        assertThat(volt(failing, "run", "Users can rename buckets", "--data-dir", data, "--workflow-id", "wf-offline"))
                .isEqualTo(ExitCodes.FAILED);
        String noServer = "http://127.0.0.1:" + closedPort();

        out.reset();
        assertThat(volt(
                        Map.of("VOLT_WORKFLOW_VALIDATION_COMMAND", "true", "VOLT_WORKFLOW_URL", noServer),
                        "resume",
                        "wf-offline",
                        "--data-dir",
                        data,
                        "--plain"))
                .as(out() + err())
                .isZero();
        assertThat(out())
                .contains("No server answers at " + noServer + "/; resuming in this process on " + data)
                .contains("Resuming the failed workflow")
                .contains("wf-offline: COMPLETED");

        // Without a data directory there is nothing to resume here: the server is what is missing.
        err.reset();
        assertThat(volt(
                        Map.of("VOLT_WORKFLOW_URL", noServer),
                        "resume",
                        "wf-offline",
                        "--data-dir",
                        dir.resolve("elsewhere").toString()))
                .isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err()).contains("Cannot reach a Volt Workflow server at " + noServer);
        assertThat(volt(Map.of("VOLT_WORKFLOW_URL", noServer), "pause", "wf-offline", "--data-dir", data, "--plain"))
                .isEqualTo(ExitCodes.USAGE);
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
