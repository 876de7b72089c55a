package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Result;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.fixtures.FakeGitHub;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.IOException;
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
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The documented Jenkinsfile (docs/examples/Jenkinsfile) as a user runs it, with its engines replaced by a
 * loopback engine and its command validation by one that checks the patch file, and the pages a user looks at,
 * driven in headless Debian Chromium: the live Volt page (pause, resume, cancel with the crumb), the build page,
 * the job's history and the global configuration; and a delivering Pipeline's pull request link and patch download.
 * Screenshots are kept in target/screenshots.
 */
@WithJenkins
class VoltWorkflowBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "Jenkinsfile");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private VoltProtocolEngine engine;
    private ChromeDriver browser;
    private Path downloads;

    @BeforeEach
    void start(@TempDir Path profile) throws Exception {
        engine = new VoltProtocolEngine();
        engine.holdJobs.set(true);
        downloads = Files.createDirectories(profile.resolve("downloads"));
        browser = chromium(profile, downloads);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        engine.close();
    }

    @Test
    void theExampleJenkinsfileRunsAndItsPagesWorkInABrowser(JenkinsRule j) throws Exception {
        VoltWorkflowPipelineTest.addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "example");
        p.setDefinition(new CpsFlowDefinition(exampleWithLoopbackEngine(), true));

        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        await().atMost(Duration.ofSeconds(120)).until(() -> engine.submissions.containsKey("tokens"));
        browser.get(j.getURL() + b.getUrl() + "volt-workflow/");
        awaitBadge("running");
        screenshot("1-volt-page-running");
        click("pause");
        awaitBadge("paused");
        screenshot("2-volt-page-paused");
        click("resume");
        awaitBadge("running");
        engine.holdJobs.set(false);
        awaitBadge("completed");
        screenshot("3-volt-page-completed");
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("Analysis: JWT login (2 tasks)", b);
        j.assertLogContains("tokens: validation passed", b);
        j.assertLogContains("login: validation passed", b);
        j.assertLogContains(": completed in ", b);

        browser.get(j.getURL() + b.getUrl());
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Volt Workflow");
        screenshot("4-build-page");
        browser.get(j.getURL() + p.getUrl() + "volt-workflow/");
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("Volt Workflow history", "#1", "completed");
        assertThat(browser.findElements(By.cssSelector("svg.volt-trend rect"))).hasSize(1);
        screenshot("5-job-history");
        browser.get(j.getURL() + "manage/configure");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Budget per workflow");
        screenshot("6-global-configuration");

        engine.holdJobs.set(true);
        WorkflowRun second = p.scheduleBuild2(0).waitForStart();
        await().atMost(Duration.ofSeconds(120)).until(() -> engine.submissions.getOrDefault("tokens", 0) == 2);
        browser.get(j.getURL() + second.getUrl() + "volt-workflow/");
        awaitBadge("running");
        click("cancel");
        browser.findElement(By.cssSelector("input[name=reason]")).sendKeys("wrong requirement");
        click("confirm-cancel");
        awaitBadge("cancelled");
        screenshot("7-volt-page-cancelled");
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(second));
        j.assertLogContains("wrong requirement", second);
    }

    @Test
    void thePullRequestLinkAndThePatchDownloadWorkOnTheVoltPage(JenkinsRule j, @TempDir Path repositories)
            throws Exception {
        engine.holdJobs.set(false);
        engine.applicablePatches.set(true);
        VoltWorkflowPipelineTest.addToken("engine-token");
        VoltWorkflowDeliveryTest.addCredentials();
        try (FakeGitHub github = new FakeGitHub()) {
            WorkflowJob p = j.createProject(WorkflowJob.class, "delivered");
            p.setDefinition(new CpsFlowDefinition(
                    VoltWorkflowDeliveryTest.deliveringPipeline(
                            engine, github, VoltWorkflowDeliveryTest.bareRepository(repositories)),
                    true));
            WorkflowRun b = j.buildAndAssertSuccess(p);

            browser.get(j.getURL() + b.getUrl() + "volt-workflow/");
            awaitBadge("completed");
            WebElement link = new WebDriverWait(browser, Duration.ofSeconds(60))
                    .withMessage("the pull request link")
                    .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".vw-delivery a")));
            assertThat(link.getAttribute("href")).isEqualTo(FakeGitHub.PULL_REQUEST_URL);
            assertThat(link.getText()).isEqualTo("Pull request");
            screenshot("8-volt-page-delivered");

            browser.findElement(By.cssSelector("button.vw-download-patches")).click();
            Path download =
                    downloads.resolve(b.getAction(VoltWorkflowAction.class).getWorkflowId() + "-patches.json");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.isRegularFile(download) && Files.size(download) > 0);
            JsonNode patches = WorkflowJson.mapper().readTree(download.toFile());
            assertThat(patches.path("patches")).hasSize(2);
            assertThat(patches.path("patches").get(0).path("patch").asText()).startsWith("diff --git");

            browser.get(j.getURL() + b.getUrl());
            assertThat(browser.findElement(By.cssSelector(".volt-workflow-delivery a"))
                            .getAttribute("href"))
                    .isEqualTo(FakeGitHub.PULL_REQUEST_URL);
        }
    }

    /** The example as documented, but against the loopback engine and without a repository to check out. */
    private String exampleWithLoopbackEngine() throws IOException {
        String example = Files.readString(EXAMPLE);
        int start = example.indexOf("def engines = [");
        int end = example.indexOf("]\n", start) + 2;
        assertThat(start).as("the example defines its engines").isNotNegative();
        String engines = "def engines = [\n"
                + "    voltEngine(role: 'analysis', type: 'volt', url: '" + engine.url()
                + "', credentialsId: 'volt-token'),\n"
                + "    voltEngine(role: 'codegen', type: 'volt', url: '" + engine.url()
                + "', credentialsId: 'volt-token'),\n"
                + "    voltEngine(role: 'validation', type: 'command', command: 'test -s \"$VOLT_PATCH_FILE\"'),\n"
                + "]\n";
        assertThat(example).contains("checkout scm");
        return example.substring(0, start)
                + engines
                + example.substring(end).replace("checkout scm", "echo 'no SCM here'");
    }

    private void awaitBadge(String state) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(60))
                    .withMessage("the page shows the workflow " + state)
                    .until(ExpectedConditions.presenceOfElementLocated(
                            By.cssSelector(".vw-progress-track.vw-state-" + state)));
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "page " + browser.getCurrentUrl() + "\nconsole:\n"
                            + browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                                    .map(LogEntry::toString)
                                    .collect(java.util.stream.Collectors.joining("\n"))
                            + "\nsource:\n" + browser.getPageSource(),
                    e);
        }
    }

    private void click(String action) {
        WebElement button = new WebDriverWait(browser, Duration.ofSeconds(60))
                .withMessage("button " + action + " enabled")
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='" + action + "']")));
        button.click();
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static ChromeDriver chromium(Path profile, Path downloads) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("This test needs headless Chromium at " + CHROMIUM + " and its driver at " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver (CI's .ci/run does this).");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-extensions",
                "--window-size=1440,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", java.util.Map.of(LogType.BROWSER, "ALL"));
        options.setExperimentalOption(
                "prefs",
                java.util.Map.of(
                        "download.default_directory",
                        downloads.toAbsolutePath().toString(),
                        "download.prompt_for_download",
                        false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
