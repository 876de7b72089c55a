package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Result;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.fixtures.ExampleJenkinsfile;
import io.jenkins.plugins.voltworkflow.fixtures.FakeGitHub;
import io.jenkins.plugins.voltworkflow.fixtures.HeadlessChromium;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import io.voltworkflow.core.json.WorkflowJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.openqa.selenium.WebElement;

/**
 * The documented Jenkinsfile (docs/examples/Jenkinsfile) as a user runs it, with its engines replaced by a
 * loopback engine and its command validation by one that checks the patch file, and the pages a user looks at,
 * driven in headless Debian Chromium: the live Volt page (pause, resume, cancel with the crumb), the build page,
 * the job's history and the global configuration; and a delivering Pipeline's pull request link and patch download.
 * Screenshots are kept in target/screenshots.
 */
@WithJenkins
class VoltWorkflowBrowserTest {

    private VoltProtocolEngine engine;
    private HeadlessChromium browser;

    @BeforeEach
    void start(@TempDir Path profile) throws Exception {
        engine = new VoltProtocolEngine();
        engine.holdJobs.set(true);
        browser = new HeadlessChromium(profile, Path.of("target", "screenshots"));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        engine.close();
    }

    @Test
    void theExampleJenkinsfileRunsAndItsPagesWorkInABrowser(JenkinsRule j) throws Exception {
        VoltWorkflowPipelineTest.addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "example");
        p.setDefinition(new CpsFlowDefinition(ExampleJenkinsfile.withLoopbackEngine(engine.url()), true));

        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        await().atMost(Duration.ofSeconds(120)).until(() -> engine.submissions.containsKey("tokens"));
        browser.pauseResumeAndComplete(j.getURL() + b.getUrl() + "volt-workflow/", () -> engine.holdJobs.set(false));
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("Analysis: JWT login (2 tasks)", b);
        j.assertLogContains("tokens: validation passed", b);
        j.assertLogContains("login: validation passed", b);
        j.assertLogContains(": completed in ", b);

        browser.open(j.getURL() + b.getUrl());
        assertThat(browser.text()).contains("Volt Workflow");
        browser.screenshot("4-build-page");
        browser.open(j.getURL() + p.getUrl() + "volt-workflow/");
        assertThat(browser.text()).contains("Volt Workflow history", "#1", "completed");
        assertThat(browser.count("svg.volt-trend rect")).isEqualTo(1);
        browser.screenshot("5-job-history");
        browser.open(j.getURL() + "manage/configure");
        assertThat(browser.text()).contains("Budget per workflow");
        browser.screenshot("6-global-configuration");

        engine.holdJobs.set(true);
        WorkflowRun second = p.scheduleBuild2(0).waitForStart();
        await().atMost(Duration.ofSeconds(120)).until(() -> engine.submissions.getOrDefault("tokens", 0) == 2);
        browser.cancel(j.getURL() + second.getUrl() + "volt-workflow/", "wrong requirement");
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(second));
        j.assertLogContains("wrong requirement", second);
    }

    @Test
    void thePullRequestLinkAndThePatchDownloadWorkOnTheVoltPage(JenkinsRule j, @TempDir Path repositories)
            throws Exception {
        engine.holdJobs.set(false);
        VoltWorkflowPipelineTest.addToken("engine-token");
        VoltWorkflowDeliveryTest.addCredentials();
        try (FakeGitHub github = new FakeGitHub()) {
            WorkflowJob p = j.createProject(WorkflowJob.class, "delivered");
            p.setDefinition(new CpsFlowDefinition(
                    VoltWorkflowDeliveryTest.deliveringPipeline(
                            engine, github, VoltWorkflowDeliveryTest.bareRepository(repositories)),
                    true));
            WorkflowRun b = j.buildAndAssertSuccess(p);

            browser.open(j.getURL() + b.getUrl() + "volt-workflow/");
            browser.awaitBadge("completed");
            // The page re-renders on every status refresh: an element found a moment ago may be gone, so each check
            // finds it again.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                WebElement link = browser.find(".vw-delivery a");
                assertThat(link.getAttribute("href")).isEqualTo(FakeGitHub.PULL_REQUEST_URL);
                assertThat(link.getText()).isEqualTo("Pull request");
            });
            browser.screenshot("8-volt-page-delivered");

            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> browser.find("button.vw-download-patches").click());
            Path download = browser.downloads()
                    .resolve(b.getAction(VoltWorkflowAction.class).getWorkflowId() + "-patches.json");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.isRegularFile(download) && Files.size(download) > 0);
            JsonNode patches = WorkflowJson.mapper().readTree(download.toFile());
            assertThat(patches.path("patches")).hasSize(2);
            assertThat(patches.path("patches").get(0).path("patch").asText()).startsWith("diff --git");

            browser.open(j.getURL() + b.getUrl());
            assertThat(browser.find(".volt-workflow-delivery a").getAttribute("href"))
                    .isEqualTo(FakeGitHub.PULL_REQUEST_URL);
        }
    }
}
