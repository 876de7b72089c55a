package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.util.Secret;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.delivery.DeliveryConfiguration;
import io.jenkins.plugins.voltworkflow.fixtures.FakeGitHub;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import io.jenkins.plugins.voltworkflow.freestyle.VoltWorkflowBuilder;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
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
 * A Pipeline, and a Freestyle build step, deliver the workflow as a branch pushed to a real (bare, local) git repository and a pull request on a
 * fake GitHub API, with git and forge credentials from the Credentials plugin.
 */
@WithJenkins
class VoltWorkflowDeliveryTest {

    static final String GIT_PASSWORD = "git-p4ssw0rd-for-volt-bot";
    static final String FORGE_TOKEN = "ghp_fakeForgeToken0123456789";

    @TempDir
    Path temporary;

    private VoltProtocolEngine engine;
    private FakeGitHub github;
    private Path remote;

    @BeforeEach
    void start() throws Exception {
        engine = new VoltProtocolEngine();
        github = new FakeGitHub();
        remote = bareRepository(temporary);
    }

    /** A bare repository with one commit on {@code main}, as a forge hosts it. */
    static Path bareRepository(Path directory) throws IOException, InterruptedException {
        Path source = directory.resolve("source");
        Files.createDirectories(source);
        git(source, "init", "--quiet", "--initial-branch=main");
        Files.writeString(source.resolve("README.md"), "# hello\n");
        git(source, "add", "README.md");
        git(source, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-m", "init");
        Path bare = directory.resolve("hello.git");
        git(directory, "clone", "--quiet", "--bare", source.toString(), bare.toString());
        return bare;
    }

    @AfterEach
    void stop() {
        engine.close();
        github.close();
    }

    static void addCredentials() throws IOException {
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials
                .getCredentials()
                .add(new StringCredentialsImpl(
                        CredentialsScope.GLOBAL, "github-token", "forge token", Secret.fromString(FORGE_TOKEN)));
        try {
            credentials
                    .getCredentials()
                    .add(new UsernamePasswordCredentialsImpl(
                            CredentialsScope.GLOBAL, "git-login", "git push", "volt-bot", GIT_PASSWORD));
        } catch (hudson.model.Descriptor.FormException e) {
            throw new IOException(e);
        }
        credentials.save();
    }

    static String deliveringPipeline(VoltProtocolEngine engine, FakeGitHub github, Path remote) {
        return "node {\n"
                + "  def result = voltWorkflow requirement: 'Implement user authentication with JWT tokens',\n"
                + "    engines: "
                + VoltWorkflowPipelineTest.engines(engine.url()).replace("volt-token", "engine-token")
                + ",\n"
                + "    deliver: [forge: 'github', repository: 'octo/hello', apiUrl: '" + github.apiUrl() + "',\n"
                + "              credentialsId: 'github-token', remote: '" + remote + "',\n"
                + "              gitCredentialsId: 'git-login', labels: 'volt, ai']\n"
                + "  echo \"pr=${result.pullRequestUrl} branch=${result.delivery.branch}\"\n"
                + "}\n";
    }

    @Test
    void aPipelineDeliversABranchAndAPullRequest(JenkinsRule j) throws Exception {
        VoltWorkflowPipelineTest.addToken("engine-token");
        addCredentials();
        WorkflowJob p = j.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition(deliveringPipeline(engine, github, remote), true));

        WorkflowRun b = j.buildAndAssertSuccess(p);

        VoltWorkflowAction action = b.getAction(VoltWorkflowAction.class);
        String branch = "volt/" + action.getWorkflowId();
        j.assertLogContains("pr=" + FakeGitHub.PULL_REQUEST_URL + " branch=" + branch, b);
        j.assertLogNotContains(FORGE_TOKEN, b);
        j.assertLogNotContains(GIT_PASSWORD, b);

        // The bare repository has the branch: one commit per task on top of main, each with its trailers.
        String log = git(
                remote,
                "log",
                "--reverse",
                "--format=%s%n%(trailers:key=Volt-Workflow-Id,key=Volt-Task-Id)",
                "main.." + branch);
        assertThat(log)
                .contains("Issue JWT tokens", "Login endpoint")
                .contains("Volt-Workflow-Id: " + action.getWorkflowId())
                .contains("Volt-Task-Id: tokens", "Volt-Task-Id: login");
        assertThat(git(remote, "rev-list", "--count", "main.." + branch).strip())
                .isEqualTo("2");
        assertThat(git(remote, "show", branch + ":tokens.js")).contains("export const tokens = true;");
        String head = git(remote, "rev-parse", branch).strip();

        // The pull request and the commit status, as GitHub's API takes them, with the forge token.
        List<RecordedRequest> creates = github.requests("POST", "/api/v3/repos/octo/hello/pulls");
        assertThat(creates).hasSize(1);
        JsonNode pull = WorkflowJson.mapper().readTree(creates.get(0).getBody().utf8());
        assertThat(pull.path("head").asText()).isEqualTo(branch);
        assertThat(pull.path("base").asText()).isEqualTo("main");
        assertThat(pull.path("draft").asBoolean(true)).isFalse();
        assertThat(pull.path("title").asText()).startsWith("Volt: Implement user authentication");
        assertThat(pull.path("body").asText()).contains("tokens", "login", b.getUrl() + "volt-workflow/");
        List<RecordedRequest> statuses = github.requests("POST", "/api/v3/repos/octo/hello/statuses/" + head);
        assertThat(statuses).hasSize(1);
        assertThat(WorkflowJson.mapper()
                        .readTree(statuses.get(0).getBody().utf8())
                        .path("state")
                        .asText())
                .isEqualTo("success");
        assertThat(github.requests)
                .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + FORGE_TOKEN));

        // The build page: the summary card links the pull request; the page's JSON has it, without controller paths.
        assertThat(action.getSummary().getPullRequestUrl()).isEqualTo(FakeGitHub.PULL_REQUEST_URL);
        JenkinsRule.WebClient web = j.createWebClient();
        assertThat(web.getPage(b).getWebResponse().getContentAsString())
                .contains("href=\"" + FakeGitHub.PULL_REQUEST_URL + "\"");
        String status = web.goTo(b.getUrl() + "volt-workflow/status", "application/json")
                .getWebResponse()
                .getContentAsString();
        String home = j.jenkins.getRootDir().getAbsolutePath();
        assertThat(status).contains(FakeGitHub.PULL_REQUEST_URL).doesNotContain(home);
        JsonNode patches = WorkflowJson.mapper()
                .readTree(web.goTo(b.getUrl() + "volt-workflow/patches", "application/json")
                        .getWebResponse()
                        .getContentAsString());
        assertThat(patches.path("complete").asBoolean()).isTrue();
        assertThat(patches.path("patches")).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.path("patch").asText()).startsWith("diff --git");
            assertThat(entry.path("patchSha256").asText()).hasSize(64);
            assertThat(entry.path("repairRound").asInt()).isZero();
        });
        assertThat(patches.toString()).doesNotContain(home, FORGE_TOKEN, GIT_PASSWORD);
    }

    @Test
    void aFreestyleBuildDeliversABranchAndAPullRequestConfiguredThroughItsForm(JenkinsRule j) throws Exception {
        VoltWorkflowPipelineTest.addToken("engine-token");
        addCredentials();
        FreeStyleProject p = j.createFreeStyleProject("app");
        VoltWorkflowBuilder builder = new VoltWorkflowBuilder("Implement user authentication with JWT tokens");
        List<EngineConfiguration> engines = new ArrayList<>();
        for (String role : List.of("analysis", "codegen", "validation")) {
            EngineConfiguration http = new EngineConfiguration(role, "volt");
            http.setUrl(engine.url());
            http.setCredentialsId("engine-token");
            engines.add(http);
        }
        builder.setEngines(engines);
        DeliveryConfiguration deliver = new DeliveryConfiguration();
        deliver.setForge("github");
        deliver.setRepository("octo/hello");
        deliver.setApiUrl(github.apiUrl());
        deliver.setCredentialsId("github-token");
        deliver.setRemote(remote.toString());
        deliver.setGitCredentialsId("git-login");
        deliver.setLabels("volt, ai");
        builder.setDeliver(deliver);
        p.getBuildersList().add(builder);

        // Saved through the job's configuration form, the delivery comes back as it was set.
        j.configRoundtrip(p);
        VoltWorkflowBuilder saved = p.getBuildersList().get(VoltWorkflowBuilder.class);
        j.assertEqualDataBoundBeans(deliver, saved.getDeliver());

        FreeStyleBuild b = j.buildAndAssertSuccess(p);

        VoltWorkflowAction action = b.getAction(VoltWorkflowAction.class);
        String branch = "volt/" + action.getWorkflowId();
        j.assertLogNotContains(FORGE_TOKEN, b);
        j.assertLogNotContains(GIT_PASSWORD, b);
        assertThat(git(remote, "rev-list", "--count", "main.." + branch).strip())
                .isEqualTo("2");
        assertThat(git(remote, "show", branch + ":login.js")).contains("export const login = true;");
        List<RecordedRequest> creates = github.requests("POST", "/api/v3/repos/octo/hello/pulls");
        assertThat(creates).hasSize(1);
        JsonNode pull = WorkflowJson.mapper().readTree(creates.get(0).getBody().utf8());
        assertThat(pull.path("head").asText()).isEqualTo(branch);
        assertThat(pull.path("base").asText()).isEqualTo("main");
        assertThat(pull.path("body").asText()).contains(b.getUrl() + "volt-workflow/");
        String head = git(remote, "rev-parse", branch).strip();
        assertThat(github.requests("POST", "/api/v3/repos/octo/hello/statuses/" + head))
                .hasSize(1);
        assertThat(action.getSummary().getPullRequestUrl()).isEqualTo(FakeGitHub.PULL_REQUEST_URL);
        assertThat(j.createWebClient().getPage(b).getWebResponse().getContentAsString())
                .contains("href=\"" + FakeGitHub.PULL_REQUEST_URL + "\"");
    }

    static String git(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
