package io.jenkins.plugins.voltworkflow.jenkinstest;

import static io.jenkins.plugins.voltworkflow.jenkinstest.VoltWorkflowDeliveryTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.delivery.DeliveryConfiguration;
import io.jenkins.plugins.voltworkflow.fixtures.FakeGitHub;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import io.jenkins.plugins.voltworkflow.freestyle.VoltWorkflowBuilder;
import io.jenkins.plugins.voltworkflow.history.WorkflowSummary;
import io.voltworkflow.core.json.WorkflowJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * After the push, the delivered branch tip is validated on the agent that holds the build's workspace, in a clean
 * checkout of exactly that commit, by the tasks' own validation command, and its verdict is the commit status:
 * pending, then failure (and a draft pull request) when tasks that pass alone clash together, success (and a pull
 * request ready for review) otherwise. The workspace is a clone of a real bare repository; the forge is a fake of
 * GitHub's API.
 */
@WithJenkins
class VoltWorkflowTipValidationTest {

    @TempDir
    Path temporary;

    private VoltProtocolEngine engine;
    private FakeGitHub github;
    private Path remote;

    @BeforeEach
    void start() throws Exception {
        engine = new VoltProtocolEngine();
        // Two tasks that do not depend on each other: each is validated without the other's code.
        engine.tasks = "[{\"id\":\"tokens\",\"title\":\"Issue JWT tokens\",\"dependsOn\":[]},"
                + "{\"id\":\"login\",\"title\":\"Login endpoint\",\"dependsOn\":[]}]";
        github = new FakeGitHub();
        remote = VoltWorkflowDeliveryTest.bareRepository(temporary);
    }

    @AfterEach
    void stop() {
        engine.close();
        github.close();
    }

    /**
     * The validation command: applies its patch as a task's command does, fails when tokens.js and login.js are both
     * there (when {@code clash}), and says where it ran, at which commit, with how many uncommitted changes.
     */
    private String check(boolean clash) throws Exception {
        Path script = Files.writeString(
                temporary.resolve(clash ? "clash.sh" : "check.sh"),
                "git apply --index \"$VOLT_PATCH_FILE\"\n"
                        + (clash
                                ? "if [ -e tokens.js ] && [ -e login.js ]; then echo 'tokens.js and login.js both register"
                                        + " /login'; exit 1; fi\n"
                                : "")
                        + "echo \"validated $VOLT_TASK_ID at $(git rev-parse HEAD) in ${PWD##*/} with"
                        + " $(git status --porcelain | wc -l | tr -d ' ') uncommitted\"\n");
        return "sh " + script;
    }

    @Test
    void tasksThatClashAtTheTipFailItsValidationOnTheAgentAndThePullRequestIsADraft(JenkinsRule j) throws Exception {
        VoltWorkflowPipelineTest.addToken("engine-token");
        VoltWorkflowDeliveryTest.addCredentials();
        DumbSlave agent = j.createOnlineSlave(Label.get("builder"));
        WorkflowJob p = j.createProject(WorkflowJob.class, "app");
        Path workspace = Path.of(agent.getWorkspaceFor(p).getRemote());
        git(temporary, "clone", "--quiet", remote.toString(), workspace.toString());
        String url = engine.url();
        p.setDefinition(new CpsFlowDefinition(
                "node('builder') {\n"
                        + "  voltWorkflow requirement: 'Implement user authentication with JWT tokens',\n"
                        + "    engines: [voltEngine(role: 'analysis', type: 'volt', url: '" + url
                        + "', credentialsId: 'engine-token'),\n"
                        + "      voltEngine(role: 'codegen', type: 'volt', url: '" + url
                        + "', credentialsId: 'engine-token'),\n"
                        + "      voltEngine(role: 'validation', type: 'command', command: '" + check(true) + "')],\n"
                        + "    deliver: [forge: 'github', repository: 'octo/hello', apiUrl: '" + github.apiUrl()
                        + "',\n"
                        + "              credentialsId: 'github-token', remote: '" + remote + "',\n"
                        + "              gitCredentialsId: 'git-login']\n"
                        + "}\n",
                true));

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

        VoltWorkflowAction action = b.getAction(VoltWorkflowAction.class);
        String branch = "volt/" + action.getWorkflowId();
        String head = git(remote, "rev-parse", branch).strip();
        String sha = head.substring(0, 10);
        // Each task passed alone, in its own copy of the workspace; the tip, both together, failed on the agent.
        j.assertLogContains("validated tokens at ", b);
        j.assertLogContains("validated login at ", b);
        j.assertLogContains("tokens.js and login.js both register /login", b);
        j.assertLogContains("[app@volt-tip] $ sh -e", b);

        assertThat(statuses(head)).containsExactly("pending", "failure");
        assertThat(lastStatus(head).path("description").asText()).contains("tip " + sha + " failed");
        JsonNode pull = pullRequest();
        assertThat(pull.path("draft").asBoolean()).isTrue();
        assertThat(pull.path("body").asText())
                .contains("Failing validation of the branch tip", "tokens.js and login.js both register /login");

        WorkflowSummary summary = action.getSummary();
        assertThat(summary.isDraft()).isTrue();
        assertThat(summary.getTipValidation()).startsWith("branch tip " + sha + " failed validation");
        assertThat(j.createWebClient().getPage(b).getWebResponse().getContentAsString())
                .contains("Draft pull request", "branch tip " + sha + " failed validation");
        assertThat(workspace.resolveSibling("app@volt-tip")).doesNotExist();
        assertThat(git(workspace, "status", "--porcelain")).isEmpty();
    }

    @Test
    void aFreestyleBuildValidatesThePassingTipOnItsAgentAndThePullRequestIsReady(JenkinsRule j) throws Exception {
        VoltWorkflowPipelineTest.addToken("engine-token");
        VoltWorkflowDeliveryTest.addCredentials();
        DumbSlave agent = j.createOnlineSlave(Label.get("builder"));
        FreeStyleProject p = j.createFreeStyleProject("app");
        p.setAssignedNode(agent);
        Path workspace = Path.of(agent.getWorkspaceFor(p).getRemote());
        git(temporary, "clone", "--quiet", remote.toString(), workspace.toString());
        VoltWorkflowBuilder builder = new VoltWorkflowBuilder("Implement user authentication with JWT tokens");
        List<EngineConfiguration> engines = new ArrayList<>();
        for (String role : List.of("analysis", "codegen")) {
            EngineConfiguration http = new EngineConfiguration(role, "volt");
            http.setUrl(engine.url());
            http.setCredentialsId("engine-token");
            engines.add(http);
        }
        EngineConfiguration command = new EngineConfiguration("validation", "command");
        command.setCommand(check(false));
        engines.add(command);
        builder.setEngines(engines);
        DeliveryConfiguration deliver = new DeliveryConfiguration();
        deliver.setForge("github");
        deliver.setRepository("octo/hello");
        deliver.setApiUrl(github.apiUrl());
        deliver.setCredentialsId("github-token");
        deliver.setRemote(remote.toString());
        deliver.setGitCredentialsId("git-login");
        builder.setDeliver(deliver);
        p.getBuildersList().add(builder);

        FreeStyleBuild b = j.buildAndAssertSuccess(p);

        VoltWorkflowAction action = b.getAction(VoltWorkflowAction.class);
        String head = git(remote, "rev-parse", "volt/" + action.getWorkflowId()).strip();
        String sha = head.substring(0, 10);
        // The command ran once more, for the whole branch: at the tip commit, next to the workspace, and after
        // applying the branch's change it had nothing left to commit, so it validated exactly the tip's tree.
        j.assertLogContains("validated branch at " + head + " in app@volt-tip with 0 uncommitted", b);
        assertThat(statuses(head)).containsExactly("pending", "success");
        assertThat(lastStatus(head).path("description").asText()).contains("tip " + sha + " passed");
        assertThat(pullRequest().path("draft").asBoolean(true)).isFalse();

        WorkflowSummary summary = action.getSummary();
        assertThat(summary.isDraft()).isFalse();
        assertThat(summary.getTipValidation()).isEqualTo("branch tip " + sha + " passed validation");
        assertThat(j.createWebClient().getPage(b).getWebResponse().getContentAsString())
                .contains("branch tip " + sha + " passed validation");
        assertThat(workspace.resolveSibling("app@volt-tip")).doesNotExist();
    }

    private List<String> statuses(String head) throws Exception {
        List<String> states = new ArrayList<>();
        for (RecordedRequest request : github.requests("POST", "/api/v3/repos/octo/hello/statuses/" + head)) {
            states.add(WorkflowJson.mapper()
                    .readTree(request.getBody().utf8())
                    .path("state")
                    .asText());
        }
        return states;
    }

    private JsonNode lastStatus(String head) throws Exception {
        List<RecordedRequest> requests = github.requests("POST", "/api/v3/repos/octo/hello/statuses/" + head);
        return WorkflowJson.mapper()
                .readTree(requests.get(requests.size() - 1).getBody().utf8());
    }

    private JsonNode pullRequest() throws Exception {
        List<RecordedRequest> creates = github.requests("POST", "/api/v3/repos/octo/hello/pulls");
        assertThat(creates).hasSize(1);
        return WorkflowJson.mapper().readTree(creates.get(0).getBody().utf8());
    }
}
