package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.domains.HostnameSpecification;
import hudson.FilePath;
import hudson.ProxyConfiguration;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import io.jenkins.plugins.voltworkflow.freestyle.VoltWorkflowBuilder;
import io.jenkins.plugins.voltworkflow.step.VoltWorkflowStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.actions.LabelAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graph.StepNode;
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
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(new StringCredentialsImpl(CredentialsScope.GLOBAL, id, "engine token", Secret.fromString(TOKEN)));
        SystemCredentialsProvider.getInstance().save();
    }

    static String engines(String url) {
        return "[voltEngine(role: 'analysis', type: 'volt', url: '" + url + "', credentialsId: 'volt-token'),"
                + " voltEngine(role: 'codegen', type: 'volt', url: '" + url + "', credentialsId: 'volt-token'),"
                + " voltEngine(role: 'validation', type: 'volt', url: '" + url + "', credentialsId: 'volt-token')]";
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
        assertThat(Files.readString(b.getRootDir().toPath().resolve("build.xml")))
                .doesNotContain(TOKEN);
        assertThat(CredentialsProvider.getFingerprintOf(
                        CredentialsProvider.findCredentialById("volt-token", StringCredentialsImpl.class, b)))
                .isNotNull();
        // The event log stays readable once the build is over (the EVENTS panel of the page).
        String events = j.createWebClient()
                .goTo(b.getUrl() + "volt-workflow/events?after=0", "application/json")
                .getWebResponse()
                .getContentAsString();
        assertThat(events).doesNotContain("\"events\":[]").contains("\"sequence\":1");
        // Jenkins' REST API exports the action.
        assertThat(j.getJSON(b.getUrl() + "api/json?tree=actions[workflowName,summary[state,tasks]]")
                        .getContentAsString())
                .contains("\"workflowName\":\"volt\"")
                .contains("\"state\":\"completed\"")
                .contains("\"tasks\":2");
    }

    @Test
    void phasesInStagesAndTasksInParallelBranchesKeepTheRealStagesAndNameTheSteps(JenkinsRule j) throws Exception {
        addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "staged");
        p.setDefinition(new CpsFlowDefinition(
                "def plan\n"
                        + "stage('Analysis') { plan = voltAnalyze requirement: 'Add login', engines: "
                        + engines(engine.url()) + " }\n"
                        + "stage('Tasks') {\n"
                        + "  parallel plan.tasks.collectEntries { t -> [(t.id): {\n"
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
        j.assertLogContains("[volt] workflow completed", b); // voltWorkflowStatus(wait: true) prints the progress
        List<FlowNode> voltNodes = new DepthFirstScanner()
                .allNodes(b.getExecution()).stream()
                        .filter(node -> node instanceof StepNode step
                                && step.getDescriptor() != null
                                && step.getDescriptor().getFunctionName().startsWith("volt"))
                        .toList();
        // A LabelAction would make Stage View and Blue Ocean take each step for a stage of its own.
        assertThat(voltNodes)
                .isNotEmpty()
                .allSatisfy(node ->
                        assertThat(node.getPersistentAction(LabelAction.class)).isNull());
        assertThat(voltNodes)
                .extracting(
                        node -> node.getDisplayFunctionName() + " " + ArgumentsAction.getStepArgumentsAsString(node))
                .contains("voltAnalyze Add login", "voltCodegen tokens", "voltValidate login");
        List<String> stages = new DepthFirstScanner()
                .allNodes(b.getExecution()).stream()
                        .map(node -> node.getPersistentAction(LabelAction.class))
                        .filter(label -> label != null)
                        .map(LabelAction::getDisplayName)
                        .toList();
        assertThat(stages)
                .containsExactlyInAnyOrder("Analysis", "Tasks", "Completion", "Branch: tokens", "Branch: login");
    }

    @Test
    void aTimeoutAroundOneTaskStopsOnlyThatWaitNotTheWorkflow(JenkinsRule j) throws Exception {
        addToken("volt-token");
        engine.holdJobs.set(true);
        WorkflowJob p = j.createProject(WorkflowJob.class, "bounded");
        p.setDefinition(new CpsFlowDefinition(
                "voltAnalyze requirement: 'Add login', engines: " + engines(engine.url()) + "\n"
                        + "try {\n"
                        + "  timeout(time: 1, unit: 'SECONDS') { voltCodegen task: 'tokens' }\n"
                        + "} catch (e) {\n"
                        + "  echo \"waiting for tokens stopped; workflow ${voltWorkflowStatus().status}\"\n"
                        + "}\n"
                        + "echo \"final=${voltWorkflowStatus(wait: true).status}\"\n",
                true));

        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        await().atMost(Duration.ofSeconds(120)).until(() -> b.getLog().contains("waiting for tokens stopped"));
        engine.holdJobs.set(false);
        j.assertBuildStatusSuccess(j.waitForCompletion(b));

        j.assertLogContains("waiting for tokens stopped; workflow running", b);
        j.assertLogContains("final=completed", b);
        assertThat(engine.submissions).containsEntry("tokens", 1).containsEntry("login", 1);
    }

    @Test
    void aWorkflowCancelledFromItsPageAbortsTheBuild(JenkinsRule j) throws Exception {
        addToken("volt-token");
        engine.holdJobs.set(true);
        WorkflowJob p = j.createProject(WorkflowJob.class, "cancelled");
        p.setDefinition(new CpsFlowDefinition(
                "voltWorkflow requirement: 'Add login', engines: " + engines(engine.url()), true));

        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        await().atMost(Duration.ofSeconds(120)).until(() -> engine.submissions.containsKey("tokens"));
        b.getAction(VoltWorkflowAction.class).session().cancel("not needed any more");

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        j.assertLogContains("not needed any more", b);
        j.assertLogContains("[volt] workflow cancelled", b);
    }

    @Test
    void httpEnginesGoThroughTheJenkinsProxy(JenkinsRule j) throws Exception {
        addToken("volt-token");
        // The loopback engine is the proxy: a host that resolves nowhere is reached only through it.
        j.jenkins.setProxy(new ProxyConfiguration("127.0.0.1", engine.port()));
        WorkflowJob p = j.createProject(WorkflowJob.class, "proxied");
        p.setDefinition(new CpsFlowDefinition(
                "echo \"status=${(voltWorkflow(requirement: 'Add login', engines: "
                        + engines("http://volt-engine.invalid/") + ")).status}\"",
                true));

        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("status=completed", b);
        assertThat(engine.requests)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getUrl().host()).isEqualTo("volt-engine.invalid"));
    }

    @Test
    void aCredentialScopedToAnotherHostIsNeverSentToTheEngine(JenkinsRule j) throws Exception {
        Domain elsewhere = new Domain(
                "elsewhere", "tokens for another host", List.of(new HostnameSpecification("llm.example.com", "")));
        SystemCredentialsProvider.getInstance()
                .getDomainCredentialsMap()
                .put(
                        elsewhere,
                        List.of(new StringCredentialsImpl(
                                CredentialsScope.GLOBAL, "volt-token", "engine token", Secret.fromString(TOKEN))));
        SystemCredentialsProvider.getInstance().save();
        WorkflowJob p = j.createProject(WorkflowJob.class, "scoped");
        p.setDefinition(new CpsFlowDefinition(
                "voltWorkflow requirement: 'Add login', engines: " + engines(engine.url()), true));

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("no credentials with id 'volt-token' are available to this build for " + engine.url(), b);
        assertThat(engine.requests).isEmpty();
    }

    @Test
    void aRefusedStepLeavesNothingBehind_soACorrectedRetryUnderTheSameNameRuns(JenkinsRule j) throws Exception {
        addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "corrected");
        p.setDefinition(new CpsFlowDefinition(
                "try {\n"
                        + "  voltWorkflow requirement: 'Add login', engines: "
                        + engines(engine.url())
                                .replaceFirst(
                                        "voltEngine\\(role: 'validation'[^)]*\\)",
                                        "voltEngine(role: 'validation', type: 'command', command: 'make test')")
                        + "\n"
                        + "} catch (e) {\n"
                        + "  echo \"first attempt refused: ${e.message}\"\n"
                        + "}\n"
                        + "echo \"status=${voltWorkflow(requirement: 'Add login', engines: " + engines(engine.url())
                        + ").status}\"\n",
                true));

        WorkflowRun b = j.buildAndAssertSuccess(p);

        // Refused outside node {}; corrected as its message says, with an HTTP validation engine.
        j.assertLogContains("put this step inside node { }", b);
        j.assertLogContains("first attempt refused", b);
        j.assertLogNotContains("already has a workflow named", b);
        j.assertLogContains("status=completed", b);
        assertThat(b.getActions(VoltWorkflowAction.class)).hasSize(1);
    }

    @Test
    void aFailedWorkflowOfAFinishedBuildSaysItCannotBeResumed(JenkinsRule j) throws Exception {
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, jobValidatedBy(j, "ended", "node", "false"));

        com.fasterxml.jackson.databind.JsonNode status = io.voltworkflow.core.json.WorkflowJson.mapper()
                .readTree(j.createWebClient()
                        .goTo(b.getUrl() + "volt-workflow/status", "application/json")
                        .getWebResponse()
                        .getContentAsString());
        assertThat(status.path("state").asText()).isEqualTo("failed");
        // Nothing runs the workflow once its build has ended: the page must not offer Resume (it would get 409).
        assertThat(status.path("resumable").isBoolean()).isTrue();
        assertThat(status.path("resumable").asBoolean()).isFalse();
    }

    @Test
    void aCommandValidationOutsideNodeFailsAtOnceSayingWhy(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "nodeless");
        p.setDefinition(new CpsFlowDefinition(
                "voltWorkflow requirement: 'Add login', engines: "
                        + "[voltEngine(role: 'validation', type: 'command', command: 'make test')]",
                true));

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("put this step inside node { }", b);
        assertThat(b.getActions(VoltWorkflowAction.class)).isEmpty(); // refused: nothing is left on the build
    }

    @Test
    void retryAroundVoltWorkflowReRunsTheFailedSteps(JenkinsRule j) throws Exception {
        addToken("volt-token");
        engine.failingValidations.set(1);
        WorkflowJob p = j.createProject(WorkflowJob.class, "retried");
        p.setDefinition(new CpsFlowDefinition(
                "retry(2) {\n"
                        + "  echo \"status=${voltWorkflow(requirement: 'Add login', retries: 0, engines: "
                        + engines(engine.url()) + ").status}\"\n"
                        + "}\n",
                true));

        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("status=completed", b);
        assertThat(engine.submissions).containsEntry("tokens", 1).containsEntry("login", 1); // completed steps kept
        assertThat(engine.requests)
                .filteredOn(r -> r.getUrl().encodedPath().equals("/v1/validate"))
                .hasSize(3);
    }

    @Test
    void theJobHistoryStaysWhenTheLastBuildRanNoWorkflow(JenkinsRule j) throws Exception {
        addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "sometimes");
        p.setDefinition(new CpsFlowDefinition(
                "if (currentBuild.number == 1) { voltWorkflow requirement: 'Add login', engines: "
                        + engines(engine.url()) + " } else { echo 'no workflow this time' }",
                true));
        j.buildAndAssertSuccess(p);
        j.buildAndAssertSuccess(p);

        String history = j.createWebClient()
                .goTo(p.getUrl() + "volt-workflow/")
                .getWebResponse()
                .getContentAsString();

        assertThat(history).contains("Volt Workflow history").contains("#1");
    }

    @Test
    void commandValidationRunsOnTheAgentInItsWorkspace(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("builder"));
        WorkflowJob p = jobValidatedBy(
                j,
                "on-agent",
                "node('builder')",
                "test -s \"$VOLT_PATCH_FILE\" && echo \"validated $VOLT_TASK_ID on $NODE_NAME\"");

        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("validated tokens on " + agent.getNodeName(), b);
        j.assertLogContains("validated login on " + agent.getNodeName(), b);
        j.assertLogContains("status=completed", b);
    }

    @Test
    void concurrentValidationsEachGetTheirOwnTreeWithTheirDependenciesPatchesApplied(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("builder"));
        // red and blue write the same file differently; purple depends on red. In one shared workspace the second
        // of red and blue could not apply its patch, and purple would see whichever colour came last.
        engine.tasks = "[{\"id\":\"red\",\"title\":\"Red\",\"dependsOn\":[]},"
                + "{\"id\":\"blue\",\"title\":\"Blue\",\"dependsOn\":[]},"
                + "{\"id\":\"purple\",\"title\":\"Purple\",\"dependsOn\":[\"red\"]}]";
        engine.files.put("red", Map.entry("colour.txt", "red"));
        engine.files.put("blue", Map.entry("colour.txt", "blue"));
        engine.files.put("purple", Map.entry("purple.txt", "purple"));
        // red and blue wait for each other, so they are validated at the same time or not at all.
        Path meeting = Files.createTempDirectory(j.jenkins.getRootDir().toPath(), "meeting");
        WorkflowJob p = jobValidatedBy(
                j,
                "side-by-side",
                "node('builder')",
                "git apply \"$VOLT_PATCH_FILE\"; m=\"" + meeting + "\"; case $VOLT_TASK_ID in red|blue)"
                        + " touch \"$m/$VOLT_TASK_ID\"; n=0; until [ -e \"$m/red\" ] && [ -e \"$m/blue\" ]; do"
                        + " n=$((n+1)); [ $n -lt 1200 ] || { echo \"$VOLT_TASK_ID validated alone\"; exit 3; };"
                        + " sleep 0.1; done;; esac; echo \"$VOLT_TASK_ID sees $(cat colour.txt) in ${PWD##*/}\"");

        WorkflowRun b = j.buildAndAssertSuccess(p);

        String workspace = agent.getWorkspaceFor(p).getName();
        j.assertLogContains("red sees red in " + workspace + "@volt-red", b);
        j.assertLogContains("blue sees blue in " + workspace + "@volt-blue", b);
        j.assertLogContains("purple sees red in " + workspace + "@volt-purple", b);
        j.assertLogContains("status=completed", b);
        // The lent workspace is left as it was, and every copy is gone.
        assertThat(agent.getWorkspaceFor(p).list()).isEmpty();
        assertThat(agent.getWorkspaceFor(p).getParent().list(workspace + "@volt-*"))
                .isEmpty();
    }

    @Test
    void aValidationCommandReachesTheShellAsWrittenLikeAShStep(JenkinsRule j) throws Exception {
        // "$$" is the shell's process id; expanded by Jenkins first it would become "$" and the test would fail.
        WorkflowJob p =
                jobValidatedBy(j, "dollars", "node", "test \"$$\" -gt 1 && echo \"shell pid kept for $VOLT_TASK_ID\"");

        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("shell pid kept for login", b);
        j.assertLogContains("status=completed", b);
    }

    @Test
    void abortingTheBuildKillsTheValidationCommandWithItsChildrenLikeAShStep(JenkinsRule j) throws Exception {
        // The shell records its process id, then waits on a child that would outlive it if only the shell died.
        FilePath marks = new FilePath(j.jenkins.getRootDir()).child("marks");
        marks.mkdirs();
        WorkflowJob p = jobValidatedBy(
                j,
                "aborted",
                "node",
                "m=\"" + marks.getRemote()
                        + "\"; echo $$ > \"$m/$VOLT_TASK_ID.pid\"; sleep 300; touch \"$m/$VOLT_TASK_ID.done\"");

        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        FilePath pidFile = marks.child("tokens.pid");
        await().atMost(Duration.ofSeconds(120))
                .until(() -> pidFile.exists() && !pidFile.readToString().isBlank());
        ProcessHandle shell =
                ProcessHandle.of(Long.parseLong(pidFile.readToString().trim())).orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(await().atMost(Duration.ofSeconds(60))
                .until(() -> shell.descendants().toList(), children -> !children.isEmpty()));
        tree.add(shell);
        b.doStop();

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        await().atMost(Duration.ofSeconds(60)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(marks.child("tokens.done").exists()).isFalse();
    }

    /**
     * A job whose Pipeline runs {@code voltWorkflow} inside {@code node} with the loopback engine for analysis and
     * code generation and {@code command} (a single-quoted Groovy string, so no quotes of that kind) as validation.
     */
    private WorkflowJob jobValidatedBy(JenkinsRule j, String name, String node, String command) throws Exception {
        addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(pipelineValidatedBy(node, engine.url(), command), true));
        return p;
    }

    /** The Pipeline of {@link #jobValidatedBy}, with the loopback engine at {@code engineUrl}. */
    static String pipelineValidatedBy(String node, String engineUrl, String command) {
        return node + " {\n"
                + "  echo \"status=${voltWorkflow(requirement: 'Add login', engines: ["
                + "voltEngine(role: 'analysis', type: 'volt', url: '" + engineUrl + "', credentialsId: 'volt-token'), "
                + "voltEngine(role: 'codegen', type: 'volt', url: '" + engineUrl + "', credentialsId: 'volt-token'), "
                + "voltEngine(role: 'validation', type: 'command', command: '" + command + "')"
                + "]).status}\"\n"
                + "}\n";
    }

    @Test
    void theFreestyleBuildStepRunsTheWorkflowInTheBuildsWorkspace(JenkinsRule j) throws Exception {
        addToken("volt-token");
        FreeStyleProject p = j.createFreeStyleProject("freestyle");
        VoltWorkflowBuilder builder = new VoltWorkflowBuilder("Add login");
        List<EngineConfiguration> configured = new ArrayList<>();
        for (String role : List.of("analysis", "codegen")) {
            EngineConfiguration http = new EngineConfiguration(role, "volt");
            http.setUrl(engine.url());
            http.setCredentialsId("volt-token");
            configured.add(http);
        }
        EngineConfiguration command = new EngineConfiguration("validation", "command");
        command.setCommand("test -s \"$VOLT_PATCH_FILE\" && echo \"freestyle validated $VOLT_TASK_ID\"");
        configured.add(command);
        builder.setEngines(configured);
        p.getBuildersList().add(builder);

        FreeStyleBuild b = j.buildAndAssertSuccess(p);

        j.assertLogContains("freestyle validated tokens", b);
        // Progress reports, as in a Pipeline's console.
        j.assertLogContains("[volt] 'Validate Task tokens': running the validation command in", b);
        j.assertLogContains("[volt] workflow completed", b);
        assertThat(b.getAction(VoltWorkflowAction.class).getSummary().getState())
                .isEqualTo("completed");
        j.assertLogNotContains(TOKEN, b);
    }

    @Test
    void aFreestyleEngineThatCannotBeBuiltFailsTheBuildNamingTheProblem(JenkinsRule j) throws Exception {
        addToken("volt-token");
        FreeStyleProject p = j.createFreeStyleProject("empty-port");
        VoltWorkflowBuilder builder = new VoltWorkflowBuilder("Add login");
        EngineConfiguration codegen = new EngineConfiguration("codegen", "openai");
        codegen.setUrl("http://127.0.0.1:/v1"); // an unset $PORT
        codegen.setModel("gpt-4.1");
        codegen.setCredentialsId("volt-token");
        builder.setEngines(List.of(codegen));
        p.getBuildersList().add(builder);

        FreeStyleBuild b = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("[volt] engine of type openai has url 'http://127.0.0.1:/v1' with an empty port", b);
        j.assertLogNotContains("Build step failed with exception", b);
        assertThat(b.getActions(VoltWorkflowAction.class)).isEmpty();
    }

    @Test
    void anUnknownCredentialsIdFailsTheStepNamingIt(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "typo");
        p.setDefinition(new CpsFlowDefinition(
                "voltWorkflow requirement: 'Add login', engines: " + engines(engine.url()), true));

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
