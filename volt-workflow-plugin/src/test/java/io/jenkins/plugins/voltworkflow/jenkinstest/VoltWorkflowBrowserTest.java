package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hudson.model.Result;
import io.jenkins.plugins.voltworkflow.fixtures.ExampleJenkinsfile;
import io.jenkins.plugins.voltworkflow.fixtures.HeadlessChromium;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
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

/**
 * The documented Jenkinsfile (docs/examples/Jenkinsfile) as a user runs it, with its engines replaced by a
 * loopback engine and its command validation by one that checks the patch file, and the pages a user looks at,
 * driven in headless Debian Chromium: the live Volt page (pause, resume, cancel with the crumb), the build page,
 * the job's history and the global configuration. Screenshots are kept in target/screenshots.
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
}
