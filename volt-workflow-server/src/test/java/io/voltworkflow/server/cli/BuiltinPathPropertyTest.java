package io.voltworkflow.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job's path at its largest: workflows of 200 tasks with the built-in engines and the CLI workspace's own
 * scaffold check, several at once on one workspace, with retries off so that any race fails the workflow instead of
 * being retried away. Requirements come from fixed seeds (round r, workflow w: seed 1000 r + w), so a failure
 * reproduces. By default one round of two workflows; soak with {@code -Dvolt.builtin.rounds=N} and
 * {@code -Dvolt.builtin.workflows=N}.
 */
class BuiltinPathPropertyTest {
    private static final int ROUNDS = Integer.getInteger("volt.builtin.rounds", 1);
    private static final int WORKFLOWS = Integer.getInteger("volt.builtin.workflows", 2);
    private static final int TASKS = 200;
    private static final String[] SUBJECTS = {"Users", "Admins", "Auditors", "Guests", "Operators"};
    private static final String[] VERBS = {"rename", "export", "archive", "share", "restore", "tag", "import"};
    private static final String[] THINGS = {"bucket", "report", "invoice", "dashboard", "record", "token", "page"};

    @TempDir
    Path dir;

    private ConfiguredEngines engines;
    private WorkflowOrchestrator orchestrator;
    private Path workspace;

    @BeforeEach
    void open() {
        open(false);
    }

    /** {@code demonstrateRepair}: as {@code volt run --demo-repair}. */
    private void open(boolean demonstrateRepair) {
        workspace = dir.resolve("workspace");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Workspaces.prepare(workspace, quiet);
        engines = new ConfiguredEngines();
        orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.fromEnvironment(
                        Map.of("WORKFLOW_DEFAULT_MAX_RETRIES", "0", "WORKFLOW_MAX_CONCURRENT_STEPS", "16"))
                .store(new InMemoryWorkflowStore())
                .engines(engines.engines(new EngineProvider.Setup(
                        workspace, dir, Map.of(), null, "builtin", null, quiet, demonstrateRepair)))
                .build());
        engines.bind(orchestrator);
    }

    @AfterEach
    void close() {
        orchestrator.close();
        engines.close();
    }

    @Test
    void concurrentWorkflowsOf200TasksAllCompleteAndEachValidationCountsOnlyItsOwnTask() {
        for (int round = 0; round < ROUNDS; round++) {
            List<CompletableFuture<WorkflowStatus>> runs = new ArrayList<>();
            for (int workflow = 0; workflow < WORKFLOWS; workflow++) {
                WorkflowStatus created = orchestrator.createWorkflow(
                        requirement(1_000L * round + workflow, TASKS), Map.of(), WorkflowOptions.DEFAULTS);
                orchestrator.startWorkflow(created.workflowId());
                runs.add(orchestrator.awaitTermination(created.workflowId()));
            }
            for (CompletableFuture<WorkflowStatus> run : runs) {
                assertCompletedWithOneTestPerValidation(run.join());
            }
        }
    }

    private static void assertCompletedWithOneTestPerValidation(WorkflowStatus done) {
        assertThat(done.state()).as("%s: %s", done.workflowId(), done.error()).isEqualTo(WorkflowState.COMPLETED);
        List<StepStatus> validations = done.steps().stream()
                .filter(step -> step.type().equals(StepType.VALIDATION.id()))
                .toList();
        assertThat(validations).hasSize(TASKS).allSatisfy(step -> {
            assertThat(step.state()).isEqualTo(StepState.COMPLETED);
            assertThat(step.attempts()).isEqualTo(1);
            assertThat(step.output().path("tests").asInt()).as(step.name()).isEqualTo(1);
        });
    }

    @Test
    void aDamagedScaffoldOfAnOlderWorkflowDoesNotFailANewOne() throws Exception {
        WorkflowStatus older = run("Users can rename buckets. Admins can archive old reports.");
        Path scaffold = workspace.resolve("volt-scaffold/" + older.workflowId().value() + "/T1.md");
        Files.writeString(scaffold, "edited by hand, no title and no criteria\n");

        WorkflowStatus newer = run("Guests can share dashboards. Operators can restore records.");

        assertThat(newer.state()).as(String.valueOf(newer.error())).isEqualTo(WorkflowState.COMPLETED);
    }

    @Test
    void theScaffoldCheckChecksOnlyItsTasksFilesAndNamesTheFailingOne() throws Exception {
        Files.createDirectories(workspace.resolve("volt-scaffold/wf-a"));
        Files.writeString(
                workspace.resolve("volt-scaffold/wf-a/T1.md"), "# T1: ok\n\n## Acceptance criteria\n\n- [ ] works\n");
        Files.writeString(workspace.resolve("volt-scaffold/wf-a/T2.md"), "no title\n");
        Files.writeString(workspace.resolve("volt-scaffold/wf-a/T3.md"), "unrelated and broken\n");
        Path reports = Files.createDirectories(dir.resolve("reports"));
        ProcessBuilder check = new ProcessBuilder("sh", Workspaces.SCAFFOLD_CHECK)
                .directory(workspace.toFile())
                .redirectErrorStream(true);
        check.environment().put("VOLT_REPORTS_DIR", reports.toString());
        check.environment().put("VOLT_CHANGED_FILES", "volt-scaffold/wf-a/T1.md\nvolt-scaffold/wf-a/T2.md\nREADME.md");
        Process process = check.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(output).isEqualTo(1);
        assertThat(output)
                .contains("FAIL volt-scaffold/wf-a/T2.md: no title line")
                .doesNotContain("T3.md")
                .contains("2 scaffolds checked, 1 failed");
        try (var files = Files.list(reports)) {
            String report = Files.readString(
                    files.filter(f -> f.toString().endsWith(".xml")).findFirst().orElseThrow());
            assertThat(report)
                    .contains("tests=\"2\" failures=\"1\"")
                    .contains(
                            "classname=\"scaffold-check\" name=\"volt-scaffold/wf-a/T2.md\"><failure message=\"no title line;");
        }
    }

    @Test
    void byDefaultEveryTaskPassesItsFirstScaffoldCheckWithItsDependenciesLinked() throws Exception {
        WorkflowStatus done = run("Store the invoice records in the database. Users can export invoice records.");

        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(WorkflowState.COMPLETED);
        assertThat(done.repair().rounds()).isZero();
        assertThat(done.repair().tasksPassedFirstTime()).isEqualTo(2);
        assertThat(Files.readString(
                        workspace.resolve("volt-scaffold/" + done.workflowId().value() + "/T2.md")))
                .contains("Depends on: [T1](T1.md)")
                .doesNotContain("Validation feedback");
    }

    @Test
    void withDemonstrateRepair_aTaskWithDependenciesFailsItsFirstScaffoldCheckAndPassesInRepairRoundOne()
            throws Exception {
        close();
        open(true);
        WorkflowStatus done = run("Store the invoice records in the database. Users can export invoice records.");

        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(WorkflowState.COMPLETED);
        StepStatus independent = done.step("Validate Task T1").orElseThrow();
        StepStatus dependent = done.step("Validate Task T2").orElseThrow();
        assertThat(independent.repairRound()).isZero();
        assertThat(dependent.repairRound()).isEqualTo(1);
        StepStatus codegen = done.step("Generate Code for Task T2").orElseThrow();
        assertThat(codegen.repairFeedback().message())
                .contains("FAILED scaffold-check.volt-scaffold/")
                .contains("Depends on: link each task to its scaffold");
        assertThat(done.repair())
                .isEqualTo(io.voltworkflow.core.status.RepairStats.of(
                        2, 1, 1, 1, 1, io.voltworkflow.core.model.Usage.NONE));

        String scaffold = Files.readString(
                workspace.resolve("volt-scaffold/" + done.workflowId().value() + "/T2.md"));
        assertThat(scaffold)
                .contains("Depends on: [T1](T1.md)")
                .contains("## Validation feedback (repair round 1 of 2)")
                .contains("> validation of task T2 failed");
        // The rejected scaffold was taken out and replaced: the workspace holds only the revised one.
        assertThat(scaffold).doesNotContain("Depends on: T1\n");
        assertThat(codegen.output().path("summary").asText()).contains("revised in repair round 1 of 2");
    }

    @Test
    void withDemonstrateRepairButRepairOffTheFirstScaffoldLinksItsDependenciesAndPasses() throws Exception {
        close();
        open(true);
        WorkflowStatus done = run(
                "Store the invoice records in the database. Users can export invoice records.",
                WorkflowOptions.builder().maxRepairRounds(0).build());

        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(WorkflowState.COMPLETED);
        assertThat(done.repair().rounds()).isZero();
        assertThat(Files.readString(
                        workspace.resolve("volt-scaffold/" + done.workflowId().value() + "/T2.md")))
                .contains("Depends on: [T1](T1.md)")
                .doesNotContain("Validation feedback");
    }

    private WorkflowStatus run(String requirement) {
        return run(requirement, WorkflowOptions.DEFAULTS);
    }

    private WorkflowStatus run(String requirement, WorkflowOptions options) {
        WorkflowStatus created = orchestrator.createWorkflow(requirement, Map.of(), options);
        orchestrator.startWorkflow(created.workflowId());
        return orchestrator.awaitTermination(created.workflowId()).join();
    }

    /** {@code tasks} distinct sentences, one task each; the heuristic analyzer layers some on others. */
    private static String requirement(long seed, int tasks) {
        Random random = new Random(seed);
        return String.join(
                " ",
                IntStream.rangeClosed(1, tasks)
                        .mapToObj(i -> pick(random, SUBJECTS) + " can " + pick(random, VERBS) + " "
                                + pick(random, THINGS) + " " + i + ".")
                        .toList());
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
