package io.voltworkflow.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.server.testing.FakeGitHub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code volt run --deliver github} whose validation fails for good: the branch is pushed to a real bare repository,
 * a draft pull request lists the failing task with its failure, the failure status is on the pushed tip, and the run
 * still ends failed. Resumed once validation passes, the same pull request is updated, marked ready for review, and
 * the run completes.
 */
class DraftDeliveryTest {
    private static final String WORKFLOW = "wf-draft";
    private static final String BRANCH = "volt/" + WORKFLOW;
    /** Fails task T2 with a JUnit report, passes every other task. */
    private static final String VALIDATION = "if [ \"$VOLT_TASK_ID\" = T2 ] && [ ! -e ../fixed ]; then "
            + "printf '<testsuite name=\"RenameTest\" tests=\"1\" failures=\"1\"><testcase classname=\"RenameTest\" "
            + "name=\"keepsTheBucketId\"><failure message=\"expected id 7 but was 8\"/></testcase></testsuite>' "
            + "> \"$VOLT_REPORTS_DIR/TEST-RenameTest.xml\"; exit 1; fi";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeGitHub github = new FakeGitHub();
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(github);
        server.start();
        git(dir, "init", "-q", "--bare", "-b", "main", dir.resolve("remote.git").toString());
        // The pull request's base branch exists on the remote, as delivery checks before a workflow starts.
        String base = git(
                        dir.resolve("remote.git"),
                        "-c",
                        "user.name=Base",
                        "-c",
                        "user.email=base@localhost",
                        "commit-tree",
                        "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
                        "-m",
                        "base")
                .strip();
        git(dir.resolve("remote.git"), "update-ref", "refs/heads/main", base);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int volt(String... args) {
        return volt(VALIDATION, new CompletableFuture<>(), args);
    }

    private int volt(CompletableFuture<Void> stop, String... args) {
        return volt(VALIDATION, stop, args);
    }

    private int volt(String validation, CompletableFuture<Void> stop, String... args) {
        return volt(ConfiguredEngines::new, validation, stop, args);
    }

    private int volt(
            java.util.function.Supplier<EngineProvider> engines,
            String validation,
            CompletableFuture<Void> stop,
            String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--data-dir",
                dir.resolve("data").toString(),
                "--validate-with",
                validation,
                "--deliver",
                "github",
                "--deliver-repo",
                "octo/hello",
                "--deliver-api",
                server.url("/").toString(),
                "--deliver-remote",
                dir.resolve("remote.git").toString()));
        CliEnvironment env = new CliEnvironment(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("VOLT_DELIVERY_TOKEN", "draft-test-token"),
                false,
                dir,
                engines,
                stop);
        return new Cli(env).run(all);
    }

    @Test
    void aTaskThatFailsValidationForGoodIsDeliveredAsADraftAndTheRunStillFails() throws Exception {
        int code = volt("run", "Users can rename buckets, and document it", "--workflow-id", WORKFLOW, "--plain");
        String output = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);

        assertThat(code).as(output).isEqualTo(ExitCodes.FAILED);
        assertThat(output)
                .contains("VALIDATION_FAILED")
                .contains("Pull request:       https://github.com/octo/hello/pull/1 (draft)");
        Path workspace = dir.resolve("data/workspace");
        String tip = git(workspace, "rev-parse", BRANCH).strip();
        assertThat(git(dir.resolve("remote.git"), "rev-parse", BRANCH).strip()).isEqualTo(tip);
        // Both tasks are committed: the failing one too, so the draft shows the code that failed.
        assertThat(git(workspace, "log", "--format=%(trailers:key=Volt-Task-Id,valueonly)", "main.." + BRANCH)
                        .lines()
                        .filter(line -> !line.isBlank()))
                .containsExactly("T2", "T1");

        assertThat(github.created.get()).isEqualTo(1);
        ObjectNode pr = github.pulls.get(1);
        assertThat(pr.path("draft").asBoolean()).isTrue();
        assertThat(pr.path("body").asText())
                .contains("| T2 |")
                .contains("| T2 | Document it | ❌ failed: in repair round 2 of 2: validation of task T2 failed: "
                        + "FAILED RenameTest.keepsTheBucketId: expected id 7 but was 8")
                .contains("### Failing validation")
                .contains("**Branch tip:** `" + tip.substring(0, 10) + "` passed validation in a clean checkout")
                .contains("1 of 2 tasks validated, 1 failed; tip " + tip.substring(0, 10)
                        + " passed, not ready for review");
        assertThat(github.statuses).hasSize(2);
        assertThat(github.statuses.get(0).path("state").asText()).isEqualTo("pending");
        assertThat(github.statuses.get(1).path("sha").asText()).isEqualTo(tip);
        assertThat(github.statuses.get(1).path("state").asText()).isEqualTo("failure");

        // Fixed outside (here: the check now passes), resumed: the same pull request, its body and status updated.
        Files.createFile(dir.resolve("data/fixed"));
        int resumed = volt("run", "--resume", WORKFLOW, "--plain");
        String again = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);

        assertThat(resumed).as(again).isEqualTo(ExitCodes.COMPLETED);
        assertThat(github.created.get()).isEqualTo(1);
        assertThat(github.pulls.get(1).path("body").asText())
                .contains("2 of 2 tasks validated")
                .doesNotContain("Failing validation");
        assertThat(github.statuses).hasSize(4);
        assertThat(github.statuses.get(3).path("sha").asText()).isEqualTo(tip);
        assertThat(github.statuses.get(3).path("state").asText()).isEqualTo("success");
        assertThat(github.pulls.get(1).path("draft").asBoolean()).isFalse();
        assertThat(github.requests).contains("POST /graphql");
    }

    @Test
    void tasksThatPassAloneButClashTogetherFailOnTheBranchTip_aDraft_andAResumeAfterTheFixReportsSuccess()
            throws Exception {
        // Validates what it is given: one task's files pass, the branch's files together clash until fixed.
        String clash = "set -- $VOLT_CHANGED_FILES; if [ $# -gt 1 ] && [ ! -e '" + dir.resolve("fixed") + "' ]; then "
                + "printf '<testsuite name=\"RouteTest\" tests=\"1\" failures=\"1\"><testcase classname=\"RouteTest\" "
                + "name=\"registersOnce\"><failure message=\"two handlers for /buckets\"/></testcase></testsuite>' "
                + "> \"$VOLT_REPORTS_DIR/TEST-RouteTest.xml\"; exit 1; fi";
        int code = volt(
                clash,
                new CompletableFuture<>(),
                "run",
                "Users can rename buckets, and document it",
                "--workflow-id",
                WORKFLOW,
                "--plain");
        String output = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);

        assertThat(code).as(output).isEqualTo(ExitCodes.FAILED);
        String tip = git(dir.resolve("remote.git"), "rev-parse", BRANCH).strip();
        assertThat(output)
                .contains("VALIDATION_FAILED")
                .contains("at its tip " + tip + " failed")
                .contains("Pull request:       https://github.com/octo/hello/pull/1 (draft)");
        ObjectNode pr = github.pulls.get(1);
        assertThat(pr.path("draft").asBoolean()).isTrue();
        assertThat(pr.path("body").asText())
                .contains("| T1 |")
                .doesNotContain("❌ failed:")
                .contains("### Failing validation of the branch tip")
                .contains("two handlers for /buckets");
        assertThat(github.statuses).hasSize(2);
        assertThat(github.statuses.get(1).path("sha").asText()).isEqualTo(tip);
        assertThat(github.statuses.get(1).path("state").asText()).isEqualTo("failure");
        assertThat(github.statuses.get(1).path("description").asText())
                .startsWith("2 of 2 tasks validated; tip " + tip.substring(0, 10) + " failed, not ready for review");

        Files.createFile(dir.resolve("fixed"));
        int resumed = volt(clash, new CompletableFuture<>(), "run", "--resume", WORKFLOW, "--plain");
        String again = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);

        assertThat(resumed).as(again).isEqualTo(ExitCodes.COMPLETED);
        assertThat(git(dir.resolve("remote.git"), "rev-parse", BRANCH).strip()).isEqualTo(tip);
        assertThat(github.created.get()).isEqualTo(1);
        assertThat(github.statuses).hasSize(4);
        assertThat(github.statuses.get(3).path("sha").asText()).isEqualTo(tip);
        assertThat(github.statuses.get(3).path("state").asText()).isEqualTo("success");
        assertThat(github.pulls.get(1).path("draft").asBoolean()).isFalse();
        assertThat(github.requests).contains("POST /graphql");
        assertThat(github.pulls.get(1).path("body").asText()).doesNotContain("Failing validation");
    }

    @Test
    void servedWorkflowsLinkTheirPullRequestToTheirPageAtThePublicUrl() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.createFile(dir.resolve("data/fixed"));
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> volt(
                stop, "serve", "--port", "0", "--no-auth", "--no-ui", "--public-url", "https://volt.example.com/"));
        try {
            String base = serving();
            HttpResponse<String> created = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(base + "api/v1/workflows"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"requirement\":\"Users can rename buckets\",\"start\":true,"
                                                    + "\"options\":{\"workflowId\":\"wf-served\"}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            await().atMost(Duration.ofMinutes(3)).until(() -> github.pulls.containsKey(1));
            assertThat(github.pulls.get(1).path("body").asText())
                    .contains("**Workflow:** https://volt.example.com/#/workflows/wf-served");
            await().until(() -> !github.statuses.isEmpty());
            assertThat(github.statuses.get(0).path("target_url").asText())
                    .isEqualTo("https://volt.example.com/#/workflows/wf-served");
        } finally {
            stop.complete(null);
        }
        assertThat(served.get(2, TimeUnit.MINUTES)).isZero();
    }

    @Test
    void aServedWorkflowWhoseBudgetRefusesACodeGenerationDeliversADraftAndFailsWithTheBudgetError() throws Exception {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(
                () -> volt(PricedCodegen::new, "true", stop, "serve", "--port", "0", "--no-auth", "--no-ui"));
        try {
            String base = serving();
            HttpClient http = HttpClient.newHttpClient();
            // Each code generation costs 1500 tokens: the first task's spends the budget, the second is refused.
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(base + "api/v1/workflows"))
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"requirement\":\"Users can rename buckets, and document it\",\"start\":true,"
                                                    + "\"options\":{\"workflowId\":\"wf-budget\",\"budget\":{\"maxTokens\":1500}}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            com.fasterxml.jackson.databind.JsonNode status = await().atMost(Duration.ofMinutes(3))
                    .until(
                            () -> new com.fasterxml.jackson.databind.ObjectMapper()
                                    .readTree(http.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create(base + "api/v1/workflows/wf-budget"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .body()),
                            json -> json.path("state").asText().equals("failed"));
            assertThat(status.path("error").path("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
            assertThat(status.path("error").path("recoverable").asBoolean()).isTrue();
            assertThat(status.path("result").path("delivery").path("draft").asBoolean())
                    .isTrue();

            // The first task's code is on the pushed branch; the draft says the budget stopped the second.
            String tip = git(dir.resolve("remote.git"), "rev-parse", "volt/wf-budget")
                    .strip();
            assertThat(status.path("result").path("delivery").path("headCommit").asText())
                    .isEqualTo(tip);
            assertThat(git(
                                    dir.resolve("remote.git"),
                                    "log",
                                    "--format=%(trailers:key=Volt-Task-Id,valueonly)",
                                    "main..volt/wf-budget")
                            .lines()
                            .filter(line -> !line.isBlank()))
                    .containsExactly("T1");
            assertThat(github.created.get()).isEqualTo(1);
            ObjectNode pr = github.pulls.get(1);
            assertThat(pr.path("draft").asBoolean()).isTrue();
            assertThat(pr.path("body").asText()).contains("the workflow's budget is spent (used 1500 tokens");
            assertThat(github.statuses
                            .get(github.statuses.size() - 1)
                            .path("state")
                            .asText())
                    .isEqualTo("failure");
        } finally {
            stop.complete(null);
        }
        assertThat(served.get(2, TimeUnit.MINUTES)).isZero();
    }

    private String serving() {
        Pattern serving = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+/)");
        return await().atMost(Duration.ofMinutes(2))
                .until(
                        () -> {
                            Matcher url = serving.matcher(out.toString(StandardCharsets.UTF_8));
                            return url.find() ? url.group(1) : null;
                        },
                        Objects::nonNull);
    }

    /** The configured (built-in) engines, with each code generation costing 1500 tokens, as a model's would. */
    private static final class PricedCodegen implements EngineProvider {
        private final ConfiguredEngines configured = new ConfiguredEngines();

        @Override
        public io.voltworkflow.core.engine.Engines engines(Setup setup) {
            io.voltworkflow.core.engine.Engines engines = configured.engines(setup);
            io.voltworkflow.core.engine.CodegenEngine codegen =
                    engines.codegen().orElseThrow();
            return engines.toBuilder()
                    .codegen(new io.voltworkflow.core.engine.CodegenEngine() {
                        @Override
                        public java.util.concurrent.CompletionStage<io.voltworkflow.core.engine.CodegenJob> submit(
                                io.voltworkflow.core.engine.CodegenRequest request,
                                io.voltworkflow.core.engine.EngineContext context) {
                            context.recordUsage(new io.voltworkflow.core.model.Usage(1000, 500, 0));
                            return codegen.submit(request, context);
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<io.voltworkflow.core.engine.CodegenPoll> poll(
                                io.voltworkflow.core.engine.CodegenJob job,
                                io.voltworkflow.core.engine.EngineContext context) {
                            return codegen.poll(job, context);
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<Void> cancel(
                                io.voltworkflow.core.engine.CodegenJob job,
                                io.voltworkflow.core.engine.EngineContext context) {
                            return codegen.cancel(job, context);
                        }
                    })
                    .build();
        }

        @Override
        public void bind(io.voltworkflow.core.WorkflowOrchestrator orchestrator) {
            configured.bind(orchestrator);
        }

        @Override
        public java.util.Optional<io.voltworkflow.server.EngineCatalog> catalog() {
            return configured.catalog();
        }

        @Override
        public void close() {
            configured.close();
        }
    }

    private static String git(Path directory, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
        return output;
    }
}
