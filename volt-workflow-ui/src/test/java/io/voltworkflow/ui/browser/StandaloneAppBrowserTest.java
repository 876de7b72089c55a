package io.voltworkflow.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The standalone server's app (index.html + app.js) against the fake API: list, create, detail, analytics. */
class StandaloneAppBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path profile;

    private static LoopbackWebSocketServer unusedStream;
    private static FakeVoltApi api;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        // The app derives its stream URL from the page's origin, where the fake has no WebSocket: the detail view
        // must fall back to polling. The loopback stream server only fills the CSP's connect-src.
        unusedStream = new LoopbackWebSocketServer();
        api = new FakeVoltApi(unusedStream.port());
        Instant yesterday = Instant.now().minus(Duration.ofHours(20));
        api.add(Fixtures.finished(
                "wf-big",
                "Migrate the billing service to event sourcing with 24 bounded tasks",
                24,
                "completed",
                yesterday));
        api.add(Fixtures.running("wf-live"));
        api.add(Fixtures.finished(
                "wf-failed", "Add rate limiting to the public API", 2, "failed", yesterday.plusSeconds(600)));
        api.add(Fixtures.finished(
                "wf-cancelled", "Upgrade the ORM to version 7", 3, "cancelled", yesterday.plusSeconds(1200)));
        api.add(FakeWorkflow.pipeline(
                        "wf-paused",
                        "Document the deployment runbook",
                        yesterday.plusSeconds(1800),
                        1,
                        false,
                        step -> step.equals("Requirement Analysis") ? "completed" : "pending")
                .state("paused")
                .seedHistory());
        api.analytics(Fixtures.analytics());
        browser = Browser.start(profile);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (api != null) {
            api.close();
        }
        if (unusedStream != null) {
            unusedStream.close();
        }
    }

    @AfterEach
    void noContentSecurityPolicyViolationsOrScriptErrors() {
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void listsWorkflowsAndFiltersThemByState() throws Exception {
        browser.driver().get(api.baseUrl() + "/#/workflows");
        browser.await("the workflow list", d -> browser.count(".workflow-table tbody tr") == api.workflowCount());
        assertThat(browser.driver()
                        .findElement(By.cssSelector("tr[data-workflow-id='wf-live'] .workflow-link"))
                        .getText())
                .isEqualTo("Implement user authentication with JWT tokens");
        browser.screenshot("list");

        new Select(browser.driver().findElement(By.id("state-filter"))).selectByValue("failed");
        browser.await(
                "only failed workflows",
                d -> browser.count(".workflow-table tbody tr") == 1
                        && browser.count("tr[data-workflow-id='wf-failed']") == 1);
        api.awaitRequest(
                "GET /api/v1/workflows?state=failed",
                request -> request.path().equals("/api/v1/workflows")
                        && "failed".equals(QueryString.parse(request.query()).get("state")),
                TIMEOUT);

        browser.driver()
                .findElement(By.cssSelector("tr[data-workflow-id='wf-failed'] .workflow-link"))
                .click();
        browser.await("the detail view", d -> browser.count(".vw-dag .vw-node") == 7);
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/workflows/wf-failed");
    }

    @Test
    void createFormShowsTheApiErrorNextToItsFieldThenOpensTheLiveWorkflow() throws Exception {
        browser.driver().get(api.baseUrl() + "/#/new");
        WebElement requirement =
                browser.await("the form", ExpectedConditions.elementToBeClickable(By.id("requirement")));
        requirement.sendKeys("Add OAuth2 login");
        WebElement context = browser.driver().findElement(By.id("project-context"));
        context.sendKeys("{\"framework\": 42}");
        browser.driver()
                .findElement(By.cssSelector(".create-form button[type=submit]"))
                .click();

        WebElement error = browser.await(
                "the field error", ExpectedConditions.visibilityOfElementLocated(By.id("project-context-error")));
        assertThat(error.getText()).isEqualTo("framework: must be a string");
        assertThat(context.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver().findElement(By.id("requirement-error")).isDisplayed())
                .isFalse();
        browser.screenshot("create-error");

        context.clear();
        context.sendKeys("{\"framework\": \"Express.js\"}");
        browser.driver()
                .findElement(By.cssSelector(".create-form button[type=submit]"))
                .click();
        RecordedRequest create = api.awaitRequest(
                "the accepted POST /api/v1/workflows",
                request -> request.method().equals("POST") && request.body().contains("Express.js"),
                TIMEOUT);
        JsonNode body = FakeWorkflow.JSON.readTree(create.body());
        assertThat(body.get("requirement").asText()).isEqualTo("Add OAuth2 login");
        assertThat(body.get("projectContext").get("framework").asText()).isEqualTo("Express.js");
        assertThat(body.get("start").asBoolean()).isTrue();

        browser.await("the new workflow's page", ExpectedConditions.urlContains("#/workflows/wf-new-"));
        String id = browser.driver().getCurrentUrl().replaceFirst(".*#/workflows/", "");
        browser.await("its graph", d -> browser.count(".vw-dag .vw-node") == 7);
        assertThat(browser.driver()
                        .findElement(By.cssSelector(".vw-requirement"))
                        .getText())
                .isEqualTo("Add OAuth2 login");
        int seeded = api.update(id, FakeWorkflow::lastSequence);
        api.update(
                id,
                wf -> wf.appendEvent(
                        "step_progress",
                        "Requirement Analysis",
                        FakeWorkflow.JSON.createObjectNode().put("message", "reading the repository"),
                        Instant.now()));
        browser.await(
                "the event, fetched by polling because the stream is unavailable",
                d -> browser.count(".vw-log tr.vw-event[data-sequence='" + (seeded + 1) + "']") == 1);
    }

    @Test
    void aWorkflowCreatedWithoutStartingIsStartedFromItsPage() throws Exception {
        browser.driver().get(api.baseUrl() + "/#/new");
        browser.await("the form", ExpectedConditions.elementToBeClickable(By.id("requirement")))
                .sendKeys("Write the changelog");
        browser.driver().findElement(By.id("start")).click();
        browser.driver().findElement(By.id("max-repair-rounds")).sendKeys("1");
        browser.driver()
                .findElement(By.cssSelector(".create-form button[type=submit]"))
                .click();
        RecordedRequest create = api.awaitRequest(
                "POST /api/v1/workflows",
                request -> request.method().equals("POST") && request.body().contains("Write the changelog"),
                TIMEOUT);
        assertThat(FakeWorkflow.JSON.readTree(create.body()).get("start").asBoolean())
                .isFalse();
        assertThat(FakeWorkflow.JSON
                        .readTree(create.body())
                        .path("options")
                        .path("maxRepairRounds")
                        .asInt())
                .isEqualTo(1);

        browser.await(
                        "Start enabled",
                        ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='start']")))
                .click();
        api.awaitRequest(
                "POST …/start",
                request -> request.method().equals("POST") && request.path().endsWith("/start"),
                TIMEOUT);
        browser.await(
                "the running state",
                ExpectedConditions.attributeContains(
                        By.cssSelector(".vw-title-row .vw-badge"), "class", "vw-state-running"));
    }

    @Test
    void detailViewOfAFiftyStepWorkflowShowsEveryStep() {
        browser.driver().get(api.baseUrl() + "/#/workflows/wf-big");
        browser.await("all 51 steps", d -> browser.count(".vw-dag .vw-node.vw-step-completed") == 51);
        assertThat(browser.count(".vw-timeline .vw-bar")).isEqualTo(51);
        browser.await(
                "the finished connection state",
                ExpectedConditions.textToBe(By.cssSelector(".vw-connection"), "Finished"));
        browser.screenshot("detail-big");
    }

    @Test
    void analyticsShowsOutcomesSuccessRateAndLatencyPercentiles() {
        browser.driver().get(api.baseUrl() + "/#/analytics");
        browser.await("the latency chart", d -> browser.count("#latency-chart rect.vc-bar") == 5 * 4);
        assertThat(browser.count("#outcome-chart .vc-row")).isEqualTo(4);
        assertThat(browser.driver().findElement(By.cssSelector(".big-number")).getText())
                .isEqualTo("97.0 %");
        assertThat(browser.driver().findElement(By.cssSelector(".stat-grid")).getText())
                .contains("Passed after repair")
                .contains("75.0 %")
                .contains("3 of 4 repaired tasks, 6 rounds")
                .contains("Cost per repair round")
                .contains("$0.0375")
                .contains("4,200 tokens per round, $0.2250 in all rounds");
        browser.screenshot("analytics");
    }

    @Test
    void tokenIsKeptForTheTabAndSentAsBearer() throws Exception {
        browser.driver().get(api.baseUrl() + "/#/analytics");
        browser.driver().findElement(By.id("token-input")).sendKeys("tab-token");
        browser.driver()
                .findElement(By.cssSelector("#token-form button[type=submit]"))
                .click();
        api.awaitRequest(
                "an API call with the token",
                request -> request.path().equals("/api/v1/analytics")
                        && "Bearer tab-token".equals(request.header("Authorization")),
                TIMEOUT);
        assertThat(browser.script("return sessionStorage.getItem('voltToken');"))
                .isEqualTo("tab-token");
        browser.driver().findElement(By.id("token-clear")).click();
        assertThat(browser.script("return sessionStorage.getItem('voltToken');"))
                .isNull();
    }
}
