package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.server.cli.Main;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
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
    private static final ObjectMapper JSON = new ObjectMapper();
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

    /**
     * GitHub's pulls, statuses and labels endpoints, with state: one repository, its open pull requests. A blocked
     * call prefix holds its request until the test ends (the process that sent it is killed meanwhile).
     */
    private static final class FakeGitHub extends Dispatcher {
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger created = new AtomicInteger();
        private final Map<Integer, ObjectNode> pulls = new ConcurrentHashMap<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile String blocked;
        private volatile CountDownLatch reached = new CountDownLatch(1);

        void block(String prefix) {
            reached = new CountDownLatch(1);
            blocked = prefix;
        }

        void awaitBlocked() throws InterruptedException {
            assertThat(reached.await(2, TimeUnit.MINUTES))
                    .as("a call starting with " + blocked)
                    .isTrue();
            blocked = null;
        }

        void releaseAll() {
            released.countDown();
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String line = request.getMethod() + " " + request.getUrl().encodedPath();
            requests.add(line);
            String gate = blocked;
            if (gate != null && line.startsWith(gate)) {
                reached.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new MockResponse.Builder().code(503).build();
            }
            try {
                return answer(request, line);
            } catch (IOException e) {
                return new MockResponse.Builder().code(500).body(e.toString()).build();
            }
        }

        private MockResponse answer(RecordedRequest request, String line) throws IOException {
            if (line.startsWith("POST /repos/octo/hello/statuses/")) {
                return json(201, JSON.createObjectNode().put("state", "success"));
            }
            if (line.equals("GET /repos/octo/hello/pulls")) {
                ArrayNode open = JSON.createArrayNode();
                pulls.values().stream()
                        .filter(pr -> ("octo:" + pr.path("head").path("ref").asText())
                                .equals(request.getUrl().queryParameter("head")))
                        .forEach(open::add);
                return json(200, open);
            }
            if (line.equals("POST /repos/octo/hello/pulls")) {
                JsonNode body = JSON.readTree(request.getBody().utf8());
                for (ObjectNode existing : pulls.values()) {
                    if (existing.path("head")
                            .path("ref")
                            .asText()
                            .equals(body.path("head").asText())) {
                        return json(
                                422,
                                JSON.readTree(
                                        "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"PullRequest\","
                                                + "\"code\":\"custom\",\"message\":\"A pull request already exists for octo:"
                                                + BRANCH + ".\"}]}"));
                    }
                }
                int number = created.incrementAndGet();
                ObjectNode pr = JSON.createObjectNode()
                        .put("number", number)
                        .put("html_url", "https://github.com/octo/hello/pull/" + number)
                        .put("draft", body.path("draft").asBoolean())
                        .put("title", body.path("title").asText());
                pr.putObject("head").put("ref", body.path("head").asText());
                pulls.put(number, pr);
                return json(201, pr);
            }
            if (line.startsWith("PATCH /repos/octo/hello/pulls/")) {
                ObjectNode pr = pulls.get(Integer.parseInt(line.substring(line.lastIndexOf('/') + 1)));
                return pr == null ? json(404, JSON.createObjectNode().put("message", "Not Found")) : json(200, pr);
            }
            if (line.startsWith("POST /repos/octo/hello/issues/")) {
                return json(200, JSON.createArrayNode());
            }
            return json(404, JSON.createObjectNode().put("message", "Not Found"));
        }

        private static MockResponse json(int code, JsonNode body) {
            return new MockResponse.Builder()
                    .code(code)
                    .addHeader("Content-Type", "application/json")
                    .body(body.toString())
                    .build();
        }
    }
}
