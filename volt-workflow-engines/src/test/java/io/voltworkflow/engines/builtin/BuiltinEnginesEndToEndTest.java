package io.voltworkflow.engines.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.testing.Git;
import io.voltworkflow.engines.testing.Jobs;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline path end to end on a real git repository: analysis, tasks, scaffold patches, build and JUnit reports. */
class BuiltinEnginesEndToEndTest {
    private static final String REQUIREMENT = """
      Login for the customer portal.

      - Store user accounts with email and password hash in the database
      - The login API must validate the email and password against stored accounts
      - Show a login form on the portal page
      - Document the login flow in the README
      """;
    /** A stand-in for the project's build: writes a Surefire-style report, as `mvn verify` would. */
    private static final String PASSING_BUILD =
            "mkdir -p target/surefire-reports && cat > target/surefire-reports/TEST-LoginTest.xml <<'X'\n"
                    + "<testsuite name=\"LoginTest\" tests=\"3\"><testcase classname=\"LoginTest\" name=\"accepts\"/>"
                    + "<testcase classname=\"LoginTest\" name=\"rejects\"/><testcase classname=\"LoginTest\" name=\"later\"><skipped/></testcase></testsuite>\nX\n"
                    + "echo BUILD SUCCESS";

    private static final String FAILING_BUILD =
            "mkdir -p target/surefire-reports && cat > target/surefire-reports/TEST-LoginTest.xml <<'X'\n"
                    + "<testsuite name=\"LoginTest\"><testcase classname=\"LoginTest\" name=\"accepts\"/>"
                    + "<testcase classname=\"LoginTest\" name=\"rejects\"><failure message=\"expected 401 but was 200\">trace</failure></testcase>"
                    + "<testcase classname=\"LoginTest\" name=\"locks\"><error message=\"NullPointerException\"/></testcase></testsuite>\nX\n"
                    + "echo BUILD FAILURE; exit 1";

    @TempDir
    Path workspace;

    private Git git;
    private final EngineFactory factory = EngineFactory.create();

    @BeforeEach
    void repository() throws Exception {
        git = Git.init(workspace);
    }

    @AfterEach
    void close() {
        factory.close();
    }

    private EngineConfig builtin(String build) {
        return EngineConfig.builder(EngineKind.BUILTIN)
                .workspace(workspace)
                .validationCommand(List.of("sh", "-c", build))
                .build();
    }

    @Test
    void requirementToPatchAndValidationReport() throws Exception {
        EngineConfig config = builtin(PASSING_BUILD);
        Engines engines = factory.engines(new EnginesConfig(config, config, config));

        AnalysisResult analysis = Outcomes.result(engines.nlp()
                .orElseThrow()
                .analyze(new AnalysisRequest(REQUIREMENT, null), TestContext.step(StepType.ANALYSIS)));
        TaskPlan plan = Outcomes.result(engines.nlp()
                .orElseThrow()
                .createTasks(
                        new TaskCreationRequest(REQUIREMENT, null, analysis),
                        TestContext.step(StepType.TASK_CREATION)));

        assertThat(analysis.summary()).contains("heuristic analysis, not AI");
        assertThat(analysis.requirements()).hasSize(5);
        assertThat(plan.tasks()).extracting(TaskSpec::id).containsExactly("T1", "T2", "T3", "T4", "T5");
        assertThat(plan.tasks().get(1).title()).startsWith("Store user accounts");
        assertThat(plan.tasks().get(2).dependsOn())
                .as("the login API needs the stored accounts")
                .containsExactly("T2");
        assertThat(plan.tasks().get(4).dependsOn())
                .as("documentation after the login it documents")
                .contains("T3");
        assertThat(plan.tasks())
                .allSatisfy(task -> assertThat(task.acceptanceCriteria()).isNotEmpty());

        TaskSpec task = plan.tasks().get(2);
        CodegenPoll poll = Jobs.run(
                engines.codegen().orElseThrow(),
                new CodegenRequest(REQUIREMENT, null, analysis, task),
                new TestContext("wf-e2e", "codegen-T3", StepType.CODEGEN));
        CodegenResult code = ((CodegenPoll.Succeeded) poll).result();

        assertThat(code.generator()).isEqualTo("scaffold");
        assertThat(code.summary()).contains("not AI");
        assertThat(code.files()).containsExactly("volt-scaffold/wf-e2e/T3.md");
        Path scaffold = workspace.resolve("volt-scaffold/wf-e2e/T3.md");
        assertThat(Files.readString(scaffold))
                .contains("not AI-generated")
                .contains("- [ ] An automated test demonstrates");
        assertThat(git.run("status", "--porcelain"))
                .contains("?? volt-scaffold/")
                .doesNotContain(".volt");
        assertThat(Path.of(code.reference())).isRelative();
        Path patchFile = workspace.resolve(code.reference());
        assertThat(Files.readString(patchFile)).isEqualTo(code.patch());
        git.run("apply", "--reverse", "--check", patchFile.toString());

        TestContext validation = new TestContext("wf-e2e", "validate-T3", StepType.VALIDATION);
        ValidationResult result = Outcomes.result(
                engines.validation().orElseThrow().validate(new ValidationRequest(null, task, code), validation));

        assertThat(result.passed()).isTrue();
        assertThat(result.tests()).isEqualTo(3);
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(result.summary())
                .startsWith("validation passed: 3 tests, 0 failures, 0 errors, 1 skipped in 1 JUnit report");
        JsonNode report =
                Json.mapper().readTree(Path.of(result.reportReference()).toFile());
        assertThat(report.path("passed").asBoolean()).isTrue();
        assertThat(report.path("reports").toString()).contains("target/surefire-reports/TEST-LoginTest.xml");
        assertThat(Files.readString(Path.of(report.path("log").asText()))).contains("BUILD SUCCESS");
    }

    @Test
    void failingTestsFailValidation_withTheFailuresAsFindings() {
        ValidationResult result = Outcomes.result(factory.validation(builtin(FAILING_BUILD))
                .validate(new ValidationRequest(null, null, null), TestContext.step(StepType.VALIDATION)));

        assertThat(result.passed()).isFalse();
        assertThat(result.tests()).isEqualTo(3);
        assertThat(result.failures()).isEqualTo(1);
        assertThat(result.errors()).isEqualTo(1);
        assertThat(result.findings())
                .containsExactly(
                        "FAILED LoginTest.rejects: expected 401 but was 200",
                        "ERROR LoginTest.locks: NullPointerException");
        assertThat(result.summary()).contains("exited 1");
    }

    @Test
    void eachValidationReadsOnlyTheReportsItsOwnRunWrote() throws Exception {
        String build = "printf '<testsuite><testcase classname=\"%s\" name=\"%s\"/></testsuite>' \"$VOLT_WORKFLOW_ID\" "
                + "\"$VOLT_TASK_ID:$VOLT_CHANGED_FILES\" > \"$VOLT_REPORTS_DIR/TEST-own.xml\"";
        var validation = factory.validation(builtin(build));
        List<ValidationResult> results = new java.util.ArrayList<>();
        for (String id : List.of("T1", "T2")) {
            TaskSpec task = new TaskSpec(id, "Task " + id, "", List.of(), List.of(), List.of());
            CodegenResult code = new CodegenResult("", "", List.of("src/" + id + ".java"), null, "test", null);
            results.add(Outcomes.result(validation.validate(
                    new ValidationRequest(null, task, code),
                    new TestContext("wf-own", "validate-" + id, StepType.VALIDATION))));
        }

        assertThat(results).allSatisfy(result -> assertThat(result.tests()).isEqualTo(1));
        JsonNode second =
                Json.mapper().readTree(Path.of(results.get(1).reportReference()).toFile());
        assertThat(second.path("reports"))
                .singleElement()
                .extracting(JsonNode::asText)
                .isEqualTo(".volt/validation/wf-own/validate-T2.reports/TEST-own.xml");
        assertThat(Files.readString(
                        workspace.resolve(second.path("reports").get(0).asText())))
                .contains("classname=\"wf-own\" name=\"T2:src/T2.java\"");
    }

    @Test
    void aFailedValidationsSummaryNamesEveryCountInTheRightNumber() {
        String build =
                "printf '<testsuite><testcase classname=\"c\" name=\"n\"><failure message=\"m\"/></testcase></testsuite>' "
                        + "> \"$VOLT_REPORTS_DIR/TEST-one.xml\"; exit 1";

        ValidationResult result = Outcomes.result(factory.validation(builtin(build))
                .validate(new ValidationRequest(null, null, null), TestContext.step(StepType.VALIDATION)));

        assertThat(result.summary())
                .startsWith("validation failed: 1 test, 1 failure, 0 errors, 0 skipped in 1 JUnit report;");
        assertThat(result.findings()).containsExactly("FAILED c.n: m");
    }

    @Test
    void aBrokenReportIsAnError_notAPass() throws Exception {
        String build =
                "mkdir -p target/surefire-reports && echo '<testsuite><testcase' > target/surefire-reports/TEST-Broken.xml";

        ValidationResult result = Outcomes.result(factory.validation(builtin(build))
                .validate(new ValidationRequest(null, null, null), TestContext.step(StepType.VALIDATION)));

        assertThat(result.passed()).isFalse();
        assertThat(result.findings()).singleElement().asString().contains("not readable JUnit XML");
    }

    @Test
    void aReportWithAnEntityIsRefused() {
        String build = "mkdir -p target/surefire-reports && cat > target/surefire-reports/TEST-Xxe.xml <<'X'\n"
                + "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><testsuite><testcase name=\"&x;\"/></testsuite>\nX";

        ValidationResult result = Outcomes.result(factory.validation(builtin(build))
                .validate(new ValidationRequest(null, null, null), TestContext.step(StepType.VALIDATION)));

        assertThat(result.passed()).isFalse();
        assertThat(result.findings())
                .singleElement()
                .asString()
                .contains("DOCTYPE")
                .doesNotContain("root:");
    }

    @Test
    void staleReportsFromEarlierRunsAreIgnored() throws Exception {
        Path stale = workspace.resolve("target/surefire-reports/TEST-Old.xml");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "<testsuite><testcase name=\"old\"><failure message=\"old\"/></testcase></testsuite>");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(0));

        ValidationResult result = Outcomes.result(factory.validation(builtin("echo no tests"))
                .validate(new ValidationRequest(null, null, null), TestContext.step(StepType.VALIDATION)));

        assertThat(result.passed()).isTrue();
        assertThat(result.tests()).isZero();
        assertThat(result.summary()).contains("no JUnit reports found");
    }

    @Test
    void codegenIsIdempotent_aReissuedStepFindsItsPatchApplied() throws Exception {
        TaskSpec task =
                new TaskSpec("T1", "Store accounts", "Store user accounts", List.of(), List.of("stored"), List.of());
        CodegenRequest request = new CodegenRequest("Store user accounts", null, null, task);
        EngineConfig config = builtin(PASSING_BUILD);

        CodegenPoll first = Jobs.run(factory.codegen(config), request, TestContext.step(StepType.CODEGEN));
        TestContext reissued = TestContext.step(StepType.CODEGEN);
        CodegenPoll second = Jobs.run(factory.codegen(config), request, reissued);

        assertThat(first).isInstanceOf(CodegenPoll.Succeeded.class);
        assertThat(second).isInstanceOf(CodegenPoll.Succeeded.class);
        assertThat(((CodegenPoll.Succeeded) second).result().patch())
                .isEqualTo(((CodegenPoll.Succeeded) first).result().patch());
        assertThat(reissued.progress).anyMatch(line -> line.contains("already applied"));
    }

    @Test
    void aWorkspaceInsideAnotherRepositoryGetsItsPatchItself() throws Exception {
        Path nested = Files.createDirectories(workspace.resolve("scratch"));
        TaskSpec task = new TaskSpec("T1", "Store accounts", "", List.of(), List.of(), List.of());
        EngineConfig config =
                EngineConfig.builder(EngineKind.BUILTIN).workspace(nested).build();

        CodegenPoll poll = Jobs.run(
                factory.codegen(config), new CodegenRequest("r", null, null, task), TestContext.step(StepType.CODEGEN));

        assertThat(poll).isInstanceOf(CodegenPoll.Succeeded.class);
        assertThat(nested.resolve("volt-scaffold/wf-1/T1.md")).exists();
    }

    @Test
    void defaultConfigurationIsTheBuiltinEngines_andDetectsTheBuild() throws Exception {
        Files.writeString(workspace.resolve("Makefile"), "test:\n\t@echo make-test-ran\n");
        Engines engines = factory.engines(EnginesConfig.builtin(workspace));

        ValidationResult result = Outcomes.result(engines.validation()
                .orElseThrow()
                .validate(new ValidationRequest(null, null, null), TestContext.step(StepType.VALIDATION)));

        assertThat(result.passed()).isTrue();
        assertThat(result.summary()).contains("'make test' exited 0");
    }

    @Test
    void noBuildToDetect_isAClearError() {
        StepError error = Outcomes.failure(factory.engines(EnginesConfig.builtin(workspace))
                .validation()
                .orElseThrow()
                .validate(new ValidationRequest(null, null, null), TestContext.step(StepType.VALIDATION)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_INPUT);
        assertThat(error.message()).contains("no validation command is configured");
    }

    @Test
    void emptyRequirement_isInvalidInput() {
        StepError error = Outcomes.failure(
                new HeuristicAnalyzer().analyze(new AnalysisRequest("  ", null), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_INPUT);
        assertThat(error.retryable()).isFalse();
    }

    @Test
    void analysisIsDeterministic() {
        AnalysisResult first = Outcomes.result(new HeuristicAnalyzer()
                .analyze(new AnalysisRequest(REQUIREMENT, null), TestContext.step(StepType.ANALYSIS)));
        AnalysisResult second = Outcomes.result(new HeuristicAnalyzer()
                .analyze(new AnalysisRequest(REQUIREMENT, null), TestContext.step(StepType.ANALYSIS)));

        assertThat(second).isEqualTo(first);
    }
}
