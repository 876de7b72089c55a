package io.voltworkflow.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.testing.ServerFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * End to end in headless Debian Chromium: the real server (REST, WebSocket stream, UI assets under its CSP, token
 * auth) and a real orchestrator. The user enters the token, creates a workflow from the page and watches it
 * complete live; hostile text in the requirement stays text.
 */
class CreateWorkflowInBrowserTest {
    private static final String PULL_REQUEST = "https://github.com/octo/hello/pull/7";
    private static final String HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>";

    @TempDir
    Path profile;

    private ServerFixture fixture;
    private HeadlessChromium browser;
    private ChromeDriver driver;

    @BeforeEach
    void start() {
        browser = new HeadlessChromium(profile);
        driver = browser.driver;
        // Delivered like a forge would: the page links the pull request.
        fixture = new ServerFixture(
                2,
                (ignored, builder) -> builder,
                engines -> engines.toBuilder()
                        .delivery((request, context) -> java.util.concurrent.CompletableFuture.completedFuture(
                                new io.voltworkflow.core.engine.DeliveryResult(
                                        "volt/" + context.workflowId(),
                                        "0123456789abcdef",
                                        PULL_REQUEST,
                                        true,
                                        "pull request " + PULL_REQUEST)))
                        .build());
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void createsAWorkflowFromThePageAndSeesItComplete() {
        driver.get(fixture.url("/#/workflows"));
        assertThat(await(
                                "where the token is",
                                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".vw-token-help")))
                        .getText())
                .startsWith("This server needs an API token.")
                .contains("<data-dir>/api-token");
        assertThat(driver.findElement(By.id("token-state")).getText()).isEqualTo("No token set");
        screenshot("token-needed");
        driver.findElement(By.id("token-input")).sendKeys(ServerFixture.FULL_TOKEN);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        assertThat(driver.findElement(By.id("token-state")).getText()).isEqualTo("Token set for this tab");
        assertThat(driver.findElement(By.id("token-input")).getAttribute("placeholder"))
                .isEqualTo("set (hidden)");
        await(
                "the list without the explanation",
                d -> d.findElements(By.cssSelector(".vw-token-help")).isEmpty());

        driver.get(fixture.url("/#/new"));
        await("the create form", ExpectedConditions.elementToBeClickable(By.id("requirement")))
                .sendKeys("Build a REST API for user management " + HOSTILE);
        driver.findElement(By.cssSelector(".create-form button[type=submit]")).click();

        await("the new workflow's page", ExpectedConditions.urlContains("#/workflows/wf-"));
        await(
                "all seven steps completed, live",
                d -> d.findElements(By.cssSelector(".vw-dag .vw-node.vw-step-completed"))
                                .size()
                        == 7);
        await("the finished state", ExpectedConditions.textToBe(By.cssSelector(".vw-connection"), "Finished"));

        List<WorkflowStatus> workflows = fixture.orchestrator.listWorkflows(WorkflowQuery.ALL);
        assertThat(workflows).singleElement().satisfies(w -> {
            assertThat(w.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(w.requirement()).endsWith(HOSTILE);
        });
        assertThat(driver.getCurrentUrl())
                .endsWith("#/workflows/" + workflows.get(0).workflowId());
        assertThat(await(
                                "the delivery line",
                                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".vw-delivery")))
                        .getText())
                .isEqualTo("Branch volt/" + workflows.get(0).workflowId() + " · Draft pull request");
        assertThat(driver.findElement(By.cssSelector(".vw-delivery a.vw-pr-link"))
                        .getAttribute("href"))
                .isEqualTo(PULL_REQUEST);
        assertThat(driver.getPageSource()).doesNotContain("<img src=\"x\"").doesNotContain("<script>alert");
        assertThat(driver.findElements(By.cssSelector("img[src='x']"))).isEmpty();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(consoleProblems()).isEmpty();
    }

    private void screenshot(String name) {
        browser.screenshot(name);
    }

    private <T> T await(String what, ExpectedCondition<T> condition) {
        return browser.await(what, condition);
    }

    private List<String> consoleProblems() {
        return browser.consoleProblems();
    }
}
