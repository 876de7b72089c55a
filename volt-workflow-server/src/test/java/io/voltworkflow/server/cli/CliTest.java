package io.voltworkflow.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.server.testing.OpenApiCheckedHttpClient;
import io.voltworkflow.server.testing.TestEngines;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run in-process: real orchestrator, real file store, real HTTP; only the engines are test engines. */
class CliTest {
    @TempDir
    Path dir;

    private final TestEngines engines = new TestEngines(2);
    private final CompletableFuture<Void> stop = new CompletableFuture<>();
    private final Captured out = new Captured();
    private final Captured err = new Captured();

    @Test
    void runCompletesAWorkflowWithPlainProgressAndASummary() {
        int code = cli(Map.of(), false)
                .run(List.of(
                        "run",
                        "Build a REST API for user management",
                        "--context",
                        "language=Java",
                        "--data-dir",
                        dir.toString()));

        assertThat(code).as(err.text()).isEqualTo(0);
        assertThat(out.text())
                .contains("completed Requirement Analysis")
                .contains("Workflow ")
                .contains(": COMPLETED")
                .containsPattern("STEP\\s+TYPE\\s+STATE\\s+ATTEMPTS\\s+DURATION")
                .doesNotContain("\u001b[");
        assertThat(dir.resolve("store")).isDirectory();
        assertThat(dir.resolve("workspace/.git")).exists();
    }

    @Test
    void runWithTheBuiltInEnginesLeavesAPatchAndAValidationReportInAFreshWorkspace() throws Exception {
        Cli cli =
                new Cli(new CliEnvironment(out.stream, err.stream, Map.of(), false, dir, ConfiguredEngines::new, stop));
        int code = cli.run(List.of(
                "run",
                "Build a REST API for user management with JWT authentication",
                "--data-dir",
                dir.resolve("data").toString()));

        assertThat(code).as(out.text() + err.text()).isEqualTo(0);
        Path workspace = dir.resolve("data/workspace");
        try (var patches = Files.walk(workspace.resolve(".volt/patches"))) {
            assertThat(patches.filter(p -> p.toString().endsWith(".patch"))).isNotEmpty();
        }
        try (var reports = Files.walk(workspace.resolve(".volt/validation"))) {
            assertThat(reports.filter(p -> p.toString().endsWith(".json"))).isNotEmpty();
        }
        assertThat(out.text()).contains("Result: ");
        assertThat(err.text()).contains(ConfiguredEngines.OFFLINE_NOTICE);
    }

    @Test
    void theReadmeJobPassesEveryValidationFirstTimeAndShowsRepairRoundsOnlyWithDemoRepair() {
        String requirement = "Build a REST API for user management: users can register, log in with JWT tokens,"
                + " reset their password, and admins can list and deactivate users. Store user records in"
                + " PostgreSQL. Add integration tests for every endpoint.";
        Cli cli =
                new Cli(new CliEnvironment(out.stream, err.stream, Map.of(), false, dir, ConfiguredEngines::new, stop));

        int plain = cli.run(
                List.of("run", requirement, "--data-dir", dir.resolve("plain").toString()));

        assertThat(plain).as(out.text() + err.text()).isEqualTo(0);
        assertThat(out.text())
                .doesNotContain("failed ")
                .doesNotContain("repairing ")
                .containsPattern("Validation: (\\d+) of \\1 tasks passed first time");
        int printed = out.text().length();

        int demo = cli.run(List.of(
                "run",
                requirement,
                "--demo-repair",
                "--data-dir",
                dir.resolve("demo").toString()));

        String demoOutput = out.text().substring(printed);
        assertThat(demo).as(demoOutput + err.text()).isEqualTo(0);
        assertThat(demoOutput)
                .contains("repairing Generate Code for Task T2: repair round 1 of 2 after validation of task T2 failed")
                .containsPattern("Validation: \\d+ of \\d+ tasks passed first time; \\d+ repaired in \\d+ rounds?");
    }

    @Test
    void runDrawsALiveProgressBarOnATerminal() {
        int code = cli(Map.of(), true).run(List.of("run", "Bar please", "--data-dir", dir.toString()));

        assertThat(code).isEqualTo(0);
        assertThat(out.text())
                .contains("\r\u001b[2K")
                .contains("✓ Requirement Analysis")
                .contains("100%");
    }

    @Test
    void runExitsWithOneWhenTheWorkflowFails() {
        engines.failValidationOnce();
        int code = cli(Map.of("WORKFLOW_DEFAULT_MAX_RETRIES", "0"), false)
                .run(List.of("run", "Fails", "--max-repair-rounds", "0", "--data-dir", dir.toString()));

        assertThat(code).isEqualTo(1);
        assertThat(out.text())
                .contains(": FAILED")
                .contains("Error: VALIDATION_FAILED")
                .contains("recoverable: 'volt run --resume");
    }

    @Test
    void runCheckpointsAndExitsWith130WhenInterrupted() throws Exception {
        CompletableFuture<Void> gate = engines.closeGate();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                () -> cli(Map.of(), false).run(List.of("run", "Interrupted", "--data-dir", dir.toString())));
        out.await("started   Validate");
        stop.complete(null);

        assertThat(code.get(60, TimeUnit.SECONDS)).isEqualTo(130);
        assertThat(err.text()).contains("is checkpointed in");
        gate.complete(null);
    }

    @Test
    void exitCodesFollowTheOutcome() {
        assertThat(ExitCodes.of(WorkflowState.COMPLETED)).isEqualTo(0);
        assertThat(ExitCodes.of(WorkflowState.FAILED)).isEqualTo(1);
        assertThat(ExitCodes.of(WorkflowState.CANCELLED)).isEqualTo(2);
    }

    @Test
    void reportsUsageErrorsWith64() {
        assertThat(cli(Map.of(), false).run(List.of())).isEqualTo(64);
        assertThat(cli(Map.of(), false).run(List.of("run"))).isEqualTo(64);
        assertThat(cli(Map.of(), false).run(List.of("run", "x", "--colour"))).isEqualTo(64);
        assertThat(err.text()).contains("unknown option --colour");
        assertThat(cli(Map.of(), false).run(List.of("launch"))).isEqualTo(64);
        assertThat(cli(Map.of(), false)
                        .run(List.of("serve", "--no-auth", "--bind", "0.0.0.0", "--data-dir", dir.toString())))
                .isEqualTo(64);
        assertThat(cli(Map.of("WORKFLOW_MAX_CONCURRENT_STEPS", "many"), false)
                        .run(List.of("run", "x", "--data-dir", dir.toString())))
                .isEqualTo(64);
        assertThat(err.text()).contains("WORKFLOW_MAX_CONCURRENT_STEPS='many'");
    }

    @Test
    void serveAnswersTheClientCommandsAndShutsDownGracefully() throws Exception {
        CompletableFuture<Void> gate = engines.closeGate();
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(
                () -> cli(Map.of(), false).run(List.of("serve", "--port", "0", "--data-dir", dir.toString())));
        Matcher url = out.await("serving (http://127\\.0\\.0\\.1:\\d+/)");
        String base = url.group(1);
        String token = Files.readString(dir.resolve("api-token")).strip();
        assertThat(out.text() + err.text()).doesNotContain(token);

        HttpResponse<String> created = OpenApiCheckedHttpClient.create()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "api/v1/workflows"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"requirement\":\"remote\",\"start\":true,"
                                        + "\"options\":{\"workflowId\":\"wf-remote\"}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);

        List<String> client = List.of("--url", base, "--data-dir", dir.toString());
        assertThat(cli(Map.of(), false).run(concat(List.of("pause", "wf-remote"), client)))
                .isEqualTo(0);
        assertThat(out.text()).contains("Workflow wf-remote is paused");
        assertThat(cli(Map.of(), false).run(concat(List.of("resume", "wf-remote"), client)))
                .isEqualTo(0);
        assertThat(cli(Map.of(), false).run(concat(List.of("status", "wf-remote"), client)))
                .isEqualTo(0);
        assertThat(out.text()).contains("Workflow wf-remote: RUNNING");
        assertThat(cli(Map.of(), false).run(concat(List.of("cancel", "wf-remote", "--reason", "enough"), client)))
                .isEqualTo(0);
        assertThat(cli(Map.of(), false).run(concat(List.of("resume", "wf-remote"), client)))
                .isEqualTo(1);
        assertThat(err.text()).contains("ILLEGAL_TRANSITION");
        assertThat(cli(Map.of(), false)
                        .run(List.of("status", "wf-remote", "--url", base, "--token", "wrong-token-0123456789")))
                .isEqualTo(1);
        assertThat(cli(Map.of(), false)
                        .run(List.of(
                                "status", "wf-remote", "--url", "http://127.0.0.1:1/", "--data-dir", dir.toString())))
                .isEqualTo(69);
        gate.complete(null);

        stop.complete(null);
        assertThat(served.get(60, TimeUnit.SECONDS)).isEqualTo(0);
        assertThat(out.text()).contains("Stopped.");
    }

    /** The PostgreSQL that .ci/install-postgres.sh starts (the store-postgres tests use the same one). */
    @Test
    void serveRunsOnAPostgresStoreWithCredentialsFromTheEnvironment() throws Exception {
        String schema = "cli_test_" + Long.toHexString(System.nanoTime());
        Map<String, String> variables = Map.of(
                "VOLT_WORKFLOW_PG_USER", System.getenv().getOrDefault("VOLT_TEST_PG_USER", "volt"),
                "VOLT_WORKFLOW_PG_PASSWORD", System.getenv().getOrDefault("VOLT_TEST_PG_PASSWORD", "volt"),
                "VOLT_WORKFLOW_PG_SCHEMA", schema);
        String url = System.getenv().getOrDefault("VOLT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/volt");
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> cli(variables, false)
                .run(List.of(
                        "serve",
                        "--port",
                        "0",
                        "--no-auth",
                        "--store",
                        "postgres",
                        "--store-url",
                        url,
                        "--data-dir",
                        dir.toString())));
        String base = out.await("serving (http://127\\.0\\.0\\.1:\\d+/)|configuration error")
                .group(1);
        assertThat(base).as(err.text()).isNotNull();

        HttpResponse<String> created = OpenApiCheckedHttpClient.create()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "api/v1/workflows"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"requirement\":\"stored in postgres\",\"start\":true}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"workflowId\":\"([^\"]+)\".*", "$1");
        List<String> client = List.of("--url", base, "--data-dir", dir.toString());
        assertThat(cli(Map.of(), false).run(concat(List.of("status", id, "--json"), client)))
                .isEqualTo(0);
        stop.complete(null);
        assertThat(served.get(60, TimeUnit.SECONDS)).isEqualTo(0);
        assertThat(out.text() + err.text()).doesNotContain(variables.get("VOLT_WORKFLOW_PG_PASSWORD") + "@");
        try (var connection = java.sql.DriverManager.getConnection(
                url, variables.get("VOLT_WORKFLOW_PG_USER"), variables.get("VOLT_WORKFLOW_PG_PASSWORD"))) {
            connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private Cli cli(Map<String, String> variables, boolean interactive) {
        EngineProvider provider = new EngineProvider() {
            @Override
            public Engines engines(Setup setup) {
                return engines.engines();
            }

            @Override
            public void close() {}
        };
        return new Cli(new CliEnvironment(out.stream, err.stream, variables, interactive, dir, () -> provider, stop));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
