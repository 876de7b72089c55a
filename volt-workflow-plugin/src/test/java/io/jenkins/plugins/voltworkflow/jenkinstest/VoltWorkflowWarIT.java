package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.voltworkflow.fixtures.ExampleJenkinsfile;
import io.jenkins.plugins.voltworkflow.fixtures.HeadlessChromium;
import io.jenkins.plugins.voltworkflow.fixtures.JenkinsFromWar;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin as a user runs it: {@code java -jar jenkins.war} with the built {@code .hpi} and its dependency
 * plugins in a fresh JENKINS_HOME, security on, the documented Jenkinsfile (docs/examples/Jenkinsfile) created as a
 * job through the REST API and run against a loopback engine, and its pages driven in headless Chromium by a
 * logged-in user: the live Volt page (pause, resume and cancel, which send the crumb), the build page, the job
 * history and the global configuration form. Runs in {@code verify} after {@code package} (failsafe); the paths of
 * the war, the {@code .hpi} and the plugins come from the POM. Screenshots go to target/screenshots/jenkins-war.
 */
@EnabledIfSystemProperty(
        named = "volt.it.war",
        matches = ".+",
        disabledReason = "needs the packaged plugin: runs in `verify` (failsafe), not as a unit test")
class VoltWorkflowWarIT {

    private static final String JOB = "example";

    private final String password = UUID.randomUUID().toString();
    private VoltProtocolEngine engine;
    private JenkinsFromWar jenkins;
    private HeadlessChromium browser;

    @BeforeEach
    void start(@TempDir Path profile) throws Exception {
        engine = new VoltProtocolEngine();
        engine.holdJobs.set(true);
        jenkins = JenkinsFromWar.start(
                path("volt.it.war"),
                path("volt.it.hpi"),
                path("volt.it.plugins"),
                path("volt.it.directory"),
                password,
                VoltWorkflowPipelineTest.TOKEN);
        System.out.println(
                "Jenkins from the war answered after " + jenkins.startup().toMillis() + " ms");
        browser = new HeadlessChromium(profile, Path.of("target", "screenshots", "jenkins-war"));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (jenkins != null) {
            jenkins.close();
        }
        engine.close();
    }

    @Test
    void theBuiltPluginRunsTheExampleJenkinsfileInJenkinsStartedFromItsWar() throws Exception {
        String url = jenkins.url();
        assertThat(jenkins.json("pluginManager/api/json?depth=1&tree=plugins[shortName,active,enabled]")
                        .get("plugins")
                        .findValuesAsText("shortName"))
                .contains("volt-workflow", "workflow-cps", "workflow-job", "credentials");

        // Security is on: an anonymous visitor sees the login page, not the job list.
        browser.open(url);
        browser.find("input[name=j_username]");
        browser.screenshot("0-login");
        browser.find("input[name=j_username]").sendKeys(JenkinsFromWar.USER);
        browser.find("input[name=j_password]").sendKeys(password);
        browser.find("input[name=j_password]").submit();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> browser.text().contains("Volt Workflow from the built plugin"));

        jenkins.createPipeline(JOB, ExampleJenkinsfile.withLoopbackEngine(engine.url()));
        int first = jenkins.build(JOB);
        await().atMost(Duration.ofMinutes(2)).until(() -> engine.submissions.containsKey("tokens"));
        String page = url + "job/" + JOB + "/" + first + "/volt-workflow/";
        // A POST without the crumb is refused; the page's own buttons send it.
        assertThat(jenkins.post(page.substring(url.length()) + "pause", "application/json", "{}", false)
                        .statusCode())
                .isEqualTo(403);
        browser.pauseResumeAndComplete(page, () -> engine.holdJobs.set(false));
        assertThat(jenkins.awaitResult(JOB, first)).isEqualTo("SUCCESS");
        assertThat(jenkins.console(JOB, first))
                .contains(
                        "Analysis: JWT login (2 tasks)",
                        "workflow paused",
                        "tokens: validation passed",
                        "login: validation passed",
                        ": completed in ",
                        "Finished: SUCCESS")
                .doesNotContain(VoltWorkflowPipelineTest.TOKEN);

        browser.open(url + "job/" + JOB + "/" + first + "/");
        assertThat(browser.text()).contains("Volt Workflow");
        browser.screenshot("4-build-page");
        browser.open(url + "job/" + JOB + "/volt-workflow/");
        assertThat(browser.text()).contains("Volt Workflow history", "#" + first, "completed");
        browser.screenshot("5-job-history");

        browser.open(url + "manage/configure");
        browser.find("input[name='_.budgetUsd']").clear();
        browser.find("input[name='_.budgetUsd']").sendKeys("7.25");
        browser.screenshot("6-global-configuration");
        browser.find("button[name=Submit]").click();
        await().atMost(Duration.ofSeconds(60)).until(() -> !browser.currentUrl().endsWith("/configure"));
        browser.open(url + "manage/configure");
        assertThat(browser.find("input[name='_.budgetUsd']").getAttribute("value"))
                .isIn("7.25", "7.250");

        engine.holdJobs.set(true);
        int second = jenkins.build(JOB);
        await().atMost(Duration.ofMinutes(2)).until(() -> engine.submissions.getOrDefault("tokens", 0) == 2);
        browser.cancel(url + "job/" + JOB + "/" + second + "/volt-workflow/", "wrong requirement");
        assertThat(jenkins.awaitResult(JOB, second)).isEqualTo("ABORTED");
        assertThat(jenkins.console(JOB, second)).contains("wrong requirement");
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        assertThat(value)
                .as("system property " + property + " (set by the plugin's POM)")
                .isNotBlank();
        return Path.of(value);
    }
}
