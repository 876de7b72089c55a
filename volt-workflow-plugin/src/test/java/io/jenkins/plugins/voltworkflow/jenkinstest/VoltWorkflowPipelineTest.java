package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.step.VoltWorkflowStep;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.actions.LabelAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Pipelines against engines on loopback (the Volt protocol on MockWebServer), with credentials from the
 * Credentials plugin. Runs in the plugin's own build ({@code -f volt-workflow-plugin/pom.xml verify}).
 */
@WithJenkins
class VoltWorkflowPipelineTest {

    static final String TOKEN = "s3cr3t-engine-token-42";

    private VoltProtocolEngine engine;

    @BeforeEach
    void startEngine() throws Exception {
        engine = new VoltProtocolEngine();
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    static void addToken(String id) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new StringCredentialsImpl(CredentialsScope.GLOBAL, id, "engine token", Secret.fromString(TOKEN)));
        SystemCredentialsProvider.getInstance().save();
    }

    static String engines(String url) {
        return "[engine(role: 'analysis', type: 'volt', url: '" + url + "', credentialsId: 'volt-token'),"
                + " engine(role: 'codegen', type: 'volt', url: '" + url + "', credentialsId: 'volt-token'),"
                + " engine(role: 'validation', type: 'volt', url: '" + url + "', credentialsId: 'volt-token')]";
    }

    @Test
    void voltWorkflowRunsTheWholeWorkflowAndReturnsAPlainMap(JenkinsRule j) throws Exception {
        addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition(
                "def result = voltWorkflow requirement: 'Implement user authentication with JWT tokens',\n"
                        + "  projectContext: [framework: 'Express.js'], engines: " + engines(engine.url()) + "\n"
                        + "echo \"status=${result.status} tasks=${result.tasks.size()} ref=${result.tasks[0].codegen.patchReference}\"\n",
                true));

        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("status=completed tasks=2 ref=patches/tokens.patch", b);
        j.assertLogContains("[volt] 'Requirement Analysis' started", b);
        j.assertLogContains("[volt] workflow completed", b);
        j.assertLogNotContains(TOKEN, b);
        assertThat(engine.requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(r.getHeaders().get("Idempotency-Key")).isNotBlank();
        });
        VoltWorkflowAction action = b.getAction(VoltWorkflowAction.class);
        assertThat(action.getSummary().getState()).isEqualTo("completed");
        assertThat(action.getSummary().getTasks()).isEqualTo(2);
        assertThat(Files.readString(b.getRootDir().toPath().resolve("build.xml"))).doesNotContain(TOKEN);
        assertThat(CredentialsProvider.getFingerprintOf(CredentialsProvider.findCredentialById("volt-token",
                StringCredentialsImpl.class, b))).isNotNull();
    }

    @Test
    void phasesInStagesAndTasksInParallelBranchesGetReadableLabels(JenkinsRule j) throws Exception {
        addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "staged");
        p.setDefinition(new CpsFlowDefinition(
                "def plan\n"
                        + "stage('Analysis') { plan = voltAnalyze requirement: 'Add login', engines: " + engines(engine.url()) + " }\n"
                        + "stage('Tasks') {\n"
                        + "  parallel plan.tasks.collectEntries { t -> [(t.title): {\n"
                        + "    def code = voltCodegen task: t.id\n"
                        + "    def check = voltValidate task: t.id\n"
                        + "    echo \"${t.id}: ${code.codegen.state} ${check.validation.passed}\"\n"
                        + "  }] }\n"
                        + "}\n"
                        + "stage('Completion') { echo \"final=${voltWorkflowStatus(wait: true).status}\" }\n",
                true));

        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("tokens: completed true", b);
        j.assertLogContains("login: completed true", b);
        j.assertLogContains("final=completed", b);
        List<String> labels = new DepthFirstScanner().allNodes(b.getExecution()).stream()
                .map(node -> node.getPersistentAction(LabelAction.class))
                .filter(label -> label != null)
                .map(LabelAction::getDisplayName)
                .toList();
        assertThat(labels).contains("Volt: analysis and task creation", "Volt: code generation for tokens",
                "Volt: validation of login");
    }

    @Test
    void anUnknownCredentialsIdFailsTheStepNamingIt(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "typo");
        p.setDefinition(new CpsFlowDefinition("voltWorkflow requirement: 'Add login', engines: "
                + engines(engine.url()), true));

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("no credentials with id 'volt-token' are available to this build", b);
        assertThat(engine.requests).isEmpty();
    }

    @Test
    void theSnippetGeneratorRoundTripsTheStep(JenkinsRule j) throws Exception {
        VoltWorkflowStep step = new VoltWorkflowStep("Add login");
        EngineConfiguration codegen = new EngineConfiguration("codegen", "openai");
        codegen.setUrl("https://llm.internal/v1");
        codegen.setModel("gpt-4.1");
        codegen.setCredentialsId("openai-key");
        step.setEngines(List.of(codegen));
        step.setRetries(2);
        step.setBudgetUsd(1.5);
        step.setFailOnError(false);

        VoltWorkflowStep back = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, back);
        assertThat(back.getProjectContext()).isEqualTo(Map.of());
    }
}
