package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.server.cli.Main;
import io.voltworkflow.server.testing.FakeGitHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code volt run} delivering to a fake GitHub and a real bare repository, killed with SIGKILL after its commits
 * (while the push waits in the remote's pre-receive hook), after the push (while the commit status call waits) and
 * after the pull request was opened (while the labels call waits), then resumed each time: one commit per task, one
 * push, one pull request.
 */
class DeliveryCrashTest {
    private static final String WORKFLOW = "wf-crash";
    private static final String BRANCH = "volt/" + WORKFLOW;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final FakeGitHub github = new FakeGitHub();
    private final MockWebServer server = new MockWebServer();

    @AfterEach
    void cleanUp() throws Exception {
        github.releaseAll();
        for (Process process : processes) {
            killTree(process);
        }
        server.close();
    }

    @Test
    void sigkillBetweenCommitPushAndPullRequestNeverDoublesAnyOfThem() throws Exception {
        server.setDispatcher(github);
        server.start();
        Path bare = dir.resolve("remote.git");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(bare, "config", "core.logAllRefUpdates", "always");
        // The pull request's base branch exists on the remote, as delivery checks before a workflow starts.
        String base = git(
                        bare,
                        "-c",
                        "user.name=Base",
                        "-c",
                        "user.email=base@localhost",
                        "commit-tree",
                        "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
                        "-m",
                        "base")
                .strip();
        git(bare, "update-ref", "refs/heads/main", base);
        Path pushStarted = dir.resolve("push-started");
        Path hook = bare.resolve("hooks/pre-receive");
        Path fifo = dir.resolve("never-written");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(30, TimeUnit.SECONDS);
        // Blocks the first push inside the remote until the pushing process is killed: its commits exist, the push not.
        Files.writeString(hook, "#!/bin/sh\ntouch '" + pushStarted + "'\nread line < '" + fifo + "'\nexit 1\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        Process first = run("run", "Add a health endpoint with tests", "--workflow-id", WORKFLOW);
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(pushStarted));
        killTree(first);
        Files.delete(hook);
        Path workspace = dir.resolve("data/workspace");
        int tasks = Integer.parseInt(
                git(workspace, "rev-list", "--count", "main.." + BRANCH).strip());
        assertThat(tasks).isPositive();
        assertThat(remoteHead(bare)).isEmpty();

        github.block("POST /repos/octo/hello/statuses/");
        Process second = run("run", "--resume", WORKFLOW);
        github.awaitBlocked();
        killTree(second);
        String pushed = remoteHead(bare);
        assertThat(pushed).isEqualTo(git(workspace, "rev-parse", BRANCH).strip());

        github.block("POST /repos/octo/hello/issues/");
        Process third = run("run", "--resume", WORKFLOW);
        github.awaitBlocked();
        killTree(third);
        assertThat(github.created.get()).isEqualTo(1);

        Process last = run("run", "--resume", WORKFLOW);
        assertThat(last.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(dir.resolve("run-" + processes.size() + ".log"));
        assertThat(last.exitValue()).as(output).isZero();
        assertThat(output).contains("Pull request:       https://github.com/octo/hello/pull/1");

        assertThat(Integer.parseInt(
                        git(workspace, "rev-list", "--count", "main.." + BRANCH).strip()))
                .isEqualTo(tasks);
        List<String> taskTrailers = Arrays.asList(
                git(workspace, "log", "--format=%(trailers:key=Volt-Task-Id,valueonly)", "main.." + BRANCH)
                        .strip()
                        .split("\\s+"));
        assertThat(taskTrailers).hasSize(tasks).doesNotHaveDuplicates();
        assertThat(remoteHead(bare)).isEqualTo(pushed);
        assertThat(git(bare, "reflog", "show", "--format=%H", "refs/heads/" + BRANCH)
                        .strip()
                        .lines())
                .containsExactly(pushed);
        assertThat(github.created.get()).isEqualTo(1);
        assertThat(github.requests)
                .filteredOn(line -> line.startsWith("PATCH /repos/octo/hello/pulls/1"))
                .hasSize(1);
    }

    private Process run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of(
                "--data-dir",
                dir.resolve("data").toString(),
                "--plain",
                "--deliver",
                "github",
                "--deliver-repo",
                "octo/hello",
                "--deliver-api",
                server.url("/").toString(),
                "--deliver-remote",
                dir.resolve("remote.git").toString(),
                "--deliver-labels",
                "volt"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("run-" + (processes.size() + 1) + ".log").toFile());
        Map<String, String> environment = builder.environment();
        List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OLLAMA_HOST", "VOLT_WORKFLOW_CONFIG", "VOLT_WORKFLOW_DATA_DIR")
                .forEach(environment::remove);
        environment.put("VOLT_DELIVERY_TOKEN", "crash-test-token");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** SIGKILL to the CLI first, then to the git processes it left (a push blocked in a hook). */
    private static void killTree(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static String remoteHead(Path bare) throws Exception {
        Process process = new ProcessBuilder(
                        "git", "-C", bare.toString(), "rev-parse", "--verify", "--quiet", "refs/heads/" + BRANCH)
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue() == 0 ? out : "";
    }

    private static String git(Path directory, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ": " + out)
                .isZero();
        return out;
    }
}
