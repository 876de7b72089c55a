package io.voltworkflow.engines.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import io.voltworkflow.engines.testing.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole workflow through the core orchestrator on the built-in engines: the offline default, end to end. */
class BuiltinWorkflowTest {
    private static final String BUILD = "mkdir -p target/surefire-reports && printf '%s' "
            + "'<testsuite name=\"Smoke\"><testcase classname=\"Smoke\" name=\"builds\"/></testsuite>' "
            + "> target/surefire-reports/TEST-Smoke.xml";

    @TempDir
    Path workspace;

    @Test
    void requirementBecomesPatchesAndValidationReports() throws Exception {
        Git git = Git.init(workspace);
        EngineConfig builtin = EngineConfig.builder(EngineKind.BUILTIN)
                .workspace(workspace)
                .validationCommand(List.of("sh", "-c", BUILD))
                .build();
        try (EngineFactory factory = EngineFactory.create();
                WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                        .engines(factory.engines(new EnginesConfig(builtin, builtin, builtin)))
                        .build())) {
            WorkflowStatus created = orchestrator.createWorkflow("""
          - Store orders with their items in the database
          - The checkout API must validate stock for the stored orders
          """, Map.of(), WorkflowOptions.DEFAULTS);
            orchestrator.startWorkflow(created.workflowId());

            WorkflowStatus done =
                    orchestrator.awaitTermination(created.workflowId()).get(2, TimeUnit.MINUTES);

            assertThat(done.state()).as("error: %s", done.error()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(done.steps()).extracting(StepStatus::type).contains("codegen", "validation");
            assertThat(git.run("status", "--porcelain")).contains("?? volt-scaffold/");
            Path artifacts = workspace.resolve(".volt");
            try (var files = Files.walk(artifacts)) {
                List<String> names =
                        files.map(path -> artifacts.relativize(path).toString()).toList();
                assertThat(names).anyMatch(name -> name.startsWith("patches/") && name.endsWith(".patch"));
                assertThat(names).anyMatch(name -> name.startsWith("validation/") && name.endsWith(".json"));
            }
            assertThat(done.steps())
                    .filteredOn(step -> step.type().equals("codegen"))
                    .allSatisfy(step -> assertThat(step.provenance()).containsEntry("engine", "scaffold"));
        }
    }
}
