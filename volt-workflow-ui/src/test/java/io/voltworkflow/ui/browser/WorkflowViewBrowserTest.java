package io.voltworkflow.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The live workflow view as the Jenkins build page and other hosts embed it (workflow-page.js). */
class WorkflowViewBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path profile;

    private static LoopbackWebSocketServer stream;
    private static FakeVoltApi api;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        stream = new LoopbackWebSocketServer();
        api = new FakeVoltApi(stream.port());
        browser = Browser.start(profile);
        // The token lives in the tab's sessionStorage, as the standalone app's token field stores it.
        browser.driver().get(api.baseUrl() + "/favicon.svg");
        browser.script("sessionStorage.setItem('voltToken', arguments[0]);", TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (api != null) {
            api.close();
        }
        if (stream != null) {
            stream.close();
        }
    }

    @AfterEach
    void noContentSecurityPolicyViolationsOrScriptErrors() {
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void drawsEveryStepWithItsStateAndShowsModelOutputAsText() {
        FakeWorkflow workflow = api.add(Fixtures.running("wf-graph"));
        browser.driver().get(api.hostPageUrl("wf-graph", "server"));

        JsonNode steps = workflow.status().get("steps");
        browser.await("all steps drawn", d -> browser.count(".vw-dag .vw-node") == steps.size());
        for (JsonNode step : steps) {
            WebElement node = node(step.get("name").asText());
            assertThat(node.getAttribute("class"))
                    .contains("vw-step-" + step.get("state").asText());
        }
        assertThat(browser.count(".vw-timeline .vw-lane")).isEqualTo(steps.size());
        assertThat(browser.count(".vw-timeline .vw-bar")).isEqualTo(8);
        assertThat(browser.count(".vw-steps tbody tr")).isEqualTo(steps.size());
        browser.await("the event log", d -> browser.count(".vw-log tr.vw-event") == workflow.lastSequence());

        WebElement row = browser.driver().findElement(By.cssSelector("tr[data-step='Generate Code for Task 1']"));
        row.findElement(By.cssSelector("summary")).click();
        assertThat(row.findElement(By.cssSelector("pre")).getText()).contains(Fixtures.HOSTILE_OUTPUT);
        assertThat(browser.driver().findElement(By.cssSelector(".vw-log")).getText())
                .contains(Fixtures.HOSTILE_OUTPUT);
        assertThat(browser.count("#view img, #view script, #view iframe")).isZero();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        assertThat(browser.driver()
                        .findElement(By.cssSelector(".vw-requirement"))
                        .getText())
                .isEqualTo("Implement user authentication with JWT tokens");
        assertThat(browser.driver()
                        .findElement(By.cssSelector("tr[data-step='Validate Task 4'] .vw-error-cell"))
                        .getText())
                .contains("VALIDATION_FAILED")
                .contains("3 of 41 tests failed");
        assertThat(browser.driver()
                        .findElement(By.cssSelector("tr[data-step='Generate Code for Task 2'] th"))
                        .getText())
                .contains("repair round 1 of 2")
                .contains("~1.2k tokens");
        assertThat(node("Generate Code for Task 2").getAttribute("aria-label")).contains("repair 1/2");

        WebElement failedNode = node("Validate Task 4");
        failedNode.sendKeys(Keys.ENTER);
        browser.await(
                "the step selected from the graph with the keyboard",
                ExpectedConditions.attributeContains(
                        By.cssSelector("tr[data-step='Validate Task 4']"), "class", "vw-selected"));
        browser.screenshot("running");
    }

    @Test
    void nodesShowTheirTaskTitlesAndEveryEventIsATableRowWithItsRawJsonOneClickAway() {
        FakeWorkflow workflow = api.add(Fixtures.running("wf-titles"));
        browser.driver().get(api.hostPageUrl("wf-titles", "server"));

        browser.await(
                "all steps drawn",
                d -> browser.count(".vw-dag .vw-node")
                        == workflow.status().get("steps").size());
        assertThat(node("Generate Code for Task 2")
                        .findElement(By.cssSelector(".vw-node-name"))
                        .getAttribute("textContent"))
                .isEqualTo("Token refresh 2");
        assertThat(node("Validate Task 4")
                        .findElement(By.cssSelector(".vw-node-caption"))
                        .getAttribute("textContent"))
                .startsWith("validation 4 · failed");
        assertThat(node("Validate Task 4").getAttribute("aria-label")).startsWith("Validate Task 4, Rate limit 4: ");
        assertThat(node("Requirement Analysis")
                        .findElement(By.cssSelector(".vw-node-name"))
                        .getAttribute("textContent"))
                .isEqualTo("Requirement Analysis");
        assertThat(browser.driver()
                        .findElement(By.cssSelector("tr[data-step='Validate Task 4'] .vw-step-task"))
                        .getText())
                .isEqualTo("Rate limit 4");

        browser.await("the event table", d -> browser.count(".vw-log tr.vw-event") == workflow.lastSequence());
        assertThat(browser.driver().findElements(By.cssSelector(".vw-log thead th")).stream()
                        .map(WebElement::getText)
                        .toList())
                .startsWith("#", "Time", "Type", "Step", "Message");
        int progress = workflow.lastSequence();
        WebElement row = browser.driver().findElement(By.cssSelector(logEntry(progress)));
        List<String> cells = row.findElements(By.cssSelector("td")).stream()
                .map(cell -> cell.getAttribute("textContent"))
                .toList();
        assertThat(cells.subList(0, 5))
                .containsExactly(
                        String.valueOf(progress),
                        cells.get(1),
                        "step progress",
                        "Generate Code for Task 2",
                        Fixtures.HOSTILE_OUTPUT);
        assertThat(browser.count(".vw-log tr.vw-event-raw")).isZero();

        row.findElement(By.cssSelector("button.vw-event-json")).click();
        WebElement raw = browser.await(
                "the raw JSON",
                ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector(".vw-log tr.vw-event-raw[data-raw-of='" + progress + "'] pre")));
        assertThat(raw.getText()).contains("\"sequence\": " + progress).contains("\"type\": \"step_progress\"");
        assertThat(row.findElement(By.cssSelector("button.vw-event-json")).getAttribute("aria-expanded"))
                .isEqualTo("true");
        browser.screenshot("events-table");
        row.findElement(By.cssSelector("button.vw-event-json")).click();
        assertThat(browser.count(".vw-log tr.vw-event-raw")).isZero();
    }

    @Test
    void theGraphZoomsToFitAndBackAndPansByDragging() {
        api.add(Fixtures.finished("wf-zoom", "Rename 200 buckets", 200, "completed", java.time.Instant.now()));
        browser.driver().get(api.hostPageUrl("wf-zoom", "server"));
        browser.await("all 403 steps drawn", d -> browser.count(".vw-dag .vw-node") == 403);
        WebElement frame = browser.driver().findElement(By.cssSelector(".vw-dag"));
        double actualWidth = svgSize("width");
        double actualHeight = svgSize("height");
        assertThat(zoomLevel()).isEqualTo("100 %");
        assertThat(actualHeight)
                .as("200 tasks are taller than the frame")
                .isGreaterThan(frame.getSize().getHeight());

        // Pan: drag the empty background under the analysis step upwards; the frame scrolls down by the same amount.
        Object scrolledBefore = browser.script("return arguments[0].scrollTop;", frame);
        new org.openqa.selenium.interactions.Actions(browser.driver())
                .moveToElement(frame, -frame.getSize().getWidth() / 2 + 100, 0)
                .clickAndHold()
                .moveByOffset(0, -200)
                .release()
                .perform();
        assertThat(((Number) browser.script("return arguments[0].scrollTop;", frame)).intValue())
                .isEqualTo(((Number) scrolledBefore).intValue() + 200);

        zoomButton("fit").click();
        assertThat(svgSize("height")).isLessThanOrEqualTo(560);
        assertThat(svgSize("width")).isLessThanOrEqualTo(frame.getSize().getWidth());
        assertThat(zoomLevel()).isNotEqualTo("100 %");
        Object completionVisible = browser.script(
                "const frame = arguments[0].getBoundingClientRect();"
                        + "const node = document.querySelector(\".vw-dag .vw-node[data-step='Completion']\").getBoundingClientRect();"
                        + "return node.left >= frame.left && node.right <= frame.right && node.top >= frame.top && node.bottom <= frame.bottom;",
                frame);
        assertThat(completionVisible)
                .as("the whole graph, completion node included, in view")
                .isEqualTo(true);
        browser.screenshot("tasks-200-fit");

        double fitted = svgSize("width");
        zoomButton("in").click();
        assertThat(svgSize("width")).isCloseTo(fitted * 1.25, org.assertj.core.api.Assertions.within(2.0));
        zoomButton("actual").click();
        assertThat(svgSize("width")).isEqualTo(actualWidth);
        assertThat(svgSize("height")).isEqualTo(actualHeight);
        assertThat(zoomLevel()).isEqualTo("100 %");
    }

    private static double svgSize(String attribute) {
        return Double.parseDouble(browser.driver()
                .findElement(By.cssSelector(".vw-dag svg.vw-dag-svg"))
                .getAttribute(attribute));
    }

    private static String zoomLevel() {
        return browser.driver().findElement(By.cssSelector(".vw-zoom-level")).getText();
    }

    private static WebElement zoomButton(String action) {
        return browser.driver().findElement(By.cssSelector(".vw-zoom button[data-zoom='" + action + "']"));
    }

    @Test
    void drawsADeepChainOfDependentTasksTopToBottom() {
        FakeWorkflow workflow = api.add(Fixtures.chained("wf-chain", 8));
        browser.driver().get(api.hostPageUrl("wf-chain", "server"));

        browser.await(
                "all steps drawn",
                d -> browser.count(".vw-dag .vw-node")
                        == workflow.status().get("steps").size());
        assertThat(browser.count(".vw-dag-svg.vw-dag-vertical")).isEqualTo(1);
        List<Double> tops = browser.driver().findElements(By.cssSelector(".vw-dag .vw-node")).stream()
                .map(node -> (double) node.getRect().getY())
                .toList();
        assertThat(tops).as("each step below the one it waits for").isSorted().doesNotHaveDuplicates();
        browser.screenshot("chain");
    }

    @Test
    void aPushedEventAppearsOnceAndTheStreamResumesAfterTheLastSequenceSeen() throws Exception {
        FakeWorkflow workflow = api.add(Fixtures.running("wf-stream"));
        int seeded = workflow.lastSequence();
        browser.driver().get(api.hostPageUrl("wf-stream", "server"));

        LoopbackWebSocketServer.Connection first = stream.awaitConnection("wf-stream", TIMEOUT);
        assertThat(first.query()).containsEntry("after", String.valueOf(seeded)).containsEntry("access_token", TOKEN);
        browser.await("the stream to be live", ExpectedConditions.textToBe(By.cssSelector(".vw-connection"), "Live"));

        ObjectNode completed = api.update("wf-stream", wf -> {
            ObjectNode step = wf.step("Generate Code for Task 2");
            step.put("state", "completed")
                    .put("finishedAt", Instant.now().toString())
                    .put("durationMs", 2100);
            return wf.appendEvent(
                    "step_completed",
                    "Generate Code for Task 2",
                    FakeWorkflow.JSON.createObjectNode().put("attempt", 1).put("durationMs", 2100),
                    Instant.now());
        });
        first.sendText(completed.toString());
        browser.await("the pushed event", d -> browser.count(logEntry(seeded + 1)) == 1);
        browser.await(
                "the status re-fetched after the event",
                d -> node("Generate Code for Task 2").getAttribute("class").contains("vw-step-completed"));

        first.close();
        LoopbackWebSocketServer.Connection second = stream.awaitConnection("wf-stream", TIMEOUT);
        assertThat(second.query()).containsEntry("after", String.valueOf(seeded + 1));
        ObjectNode next = api.update(
                "wf-stream",
                wf -> wf.appendEvent(
                        "step_started",
                        "Validate Task 2",
                        FakeWorkflow.JSON.createObjectNode().put("attempt", 1),
                        Instant.now()));
        second.sendText(completed.toString()); // a server may resend what the page has: shown once
        second.sendText(next.toString());
        browser.await("the event after the reconnect", d -> browser.count(logEntry(seeded + 2)) == 1);

        assertThat(browser.count(logEntry(seeded + 1))).isEqualTo(1);
        List<Integer> sequences = browser.driver().findElements(By.cssSelector(".vw-log tr.vw-event")).stream()
                .map(li -> Integer.valueOf(li.getAttribute("data-sequence")))
                .toList();
        assertThat(sequences).hasSize(seeded + 2).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aFailedWorkflowCanBeResumedFromItsPage() throws Exception {
        api.add(Fixtures.finished(
                "wf-failed-resume", "Add rate limiting to the public API", 2, "failed", java.time.Instant.now()));
        browser.driver().get(api.hostPageUrl("wf-failed-resume", "server"));

        WebElement resume = browser.await("Resume enabled", ExpectedConditions.elementToBeClickable(action("resume")));
        browser.screenshot("failed");
        resume.click();
        api.awaitRequest(
                "POST …/resume",
                request -> request.method().equals("POST")
                        && request.path().equals("/api/v1/workflows/wf-failed-resume/resume"),
                TIMEOUT);
        awaitWorkflowState("running");
    }

    @Test
    void aFailedWorkflowItsHostCannotResumeOffersNoResume() {
        api.add(Fixtures.finished(
                        "wf-build-ended", "Add rate limiting to the public API", 2, "failed", java.time.Instant.now())
                .hostCannotResume());
        browser.driver().get(api.hostPageUrl("wf-build-ended", "server"));

        awaitWorkflowState("failed");
        browser.await("all steps drawn", d -> browser.count(".vw-dag .vw-node") == 7);
        WebElement resume = browser.driver().findElement(action("resume"));
        assertThat(resume.isDisplayed()).isTrue();
        assertThat(resume.isEnabled()).isFalse();
        assertThat(resume.getAttribute("title")).contains("can no longer be resumed");
        browser.screenshot("failed-not-resumable");
    }

    @Test
    void aWorkflowOf200TasksDrawsEveryNodeWithTheCompletionNodeUnclipped() {
        api.add(Fixtures.finished("wf-200", "Rename 200 buckets", 200, "completed", java.time.Instant.now()));
        browser.driver().get(api.hostPageUrl("wf-200", "server"));

        browser.await("all 403 steps drawn", d -> browser.count(".vw-dag .vw-node") == 403);
        Object clipped = browser.script("const svg = document.querySelector('.vw-dag svg');"
                + "const node = document.querySelector(\".vw-dag .vw-node[data-step='Completion']\");"
                + "const box = node.getBBox(); const width = svg.viewBox.baseVal.width || svg.width.baseVal.value;"
                + "const height = svg.viewBox.baseVal.height || svg.height.baseVal.value;"
                + "return box.x < 0 || box.y < 0 || box.x + box.width > width || box.y + box.height > height;");
        assertThat(clipped).isEqualTo(false);
        browser.screenshot("tasks-200");
    }

    @Test
    void aCancelledWorkflowShowsItsReasonAndItsNeverStartedStepsAsSkipped() {
        FakeWorkflow cancelled = FakeWorkflow.pipeline(
                        "wf-cancelled-view",
                        "Upgrade the ORM to version 7",
                        java.time.Instant.now(),
                        3,
                        false,
                        step -> step.equals("Requirement Analysis") ? "completed" : "pending")
                .state("cancelled")
                .seedHistory();
        // The last progress message of a step stays in the status after the step ended.
        cancelled.step("Requirement Analysis").put("progressMessage", "running the validation command");
        api.add(cancelled);
        browser.driver().get(api.hostPageUrl("wf-cancelled-view", "server"));

        browser.await(
                "the reason",
                ExpectedConditions.textToBe(
                        By.cssSelector(".vw-workflow-error"), "Cancelled Superseded by a newer run"));
        assertThat(browser.count(".vw-dag .vw-node.vw-step-pending")).isZero();
        assertThat(browser.count(".vw-dag .vw-node.vw-step-skipped")).isEqualTo(8);
        assertThat(browser.count(".vw-step-progress"))
                .as("a finished step shows no progress message")
                .isZero();
        browser.screenshot("cancelled");
    }

    @Test
    void pauseAndCancelPostToTheActionEndpointsWithTheBearerToken() throws Exception {
        api.add(Fixtures.running("wf-actions"));
        browser.driver().get(api.hostPageUrl("wf-actions", "server"));

        WebElement pause = browser.await("Pause enabled", ExpectedConditions.elementToBeClickable(action("pause")));
        assertThat(browser.driver().findElement(action("resume")).isEnabled()).isFalse();
        pause.click();
        RecordedRequest pauseRequest = api.awaitRequest(
                "POST …/pause",
                request ->
                        request.method().equals("POST") && request.path().equals("/api/v1/workflows/wf-actions/pause"),
                TIMEOUT);
        assertThat(pauseRequest.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        awaitWorkflowState("paused");
        browser.await("Resume enabled", ExpectedConditions.elementToBeClickable(action("resume")));

        browser.driver().findElement(action("cancel")).click();
        WebElement reason =
                browser.await("the reason field", ExpectedConditions.visibilityOfElementLocated(By.name("reason")));
        reason.sendKeys("Superseded by <b>#42</b>");
        browser.driver().findElement(action("confirm-cancel")).click();
        RecordedRequest cancel = api.awaitRequest(
                "POST …/cancel",
                request ->
                        request.method().equals("POST") && request.path().equals("/api/v1/workflows/wf-actions/cancel"),
                TIMEOUT);
        assertThat(FakeWorkflow.JSON.readTree(cancel.body()).get("reason").asText())
                .isEqualTo("Superseded by <b>#42</b>");
        assertThat(cancel.header("Content-Type")).startsWith("application/json");
        awaitWorkflowState("cancelled");
        assertThat(browser.driver().findElements(By.cssSelector(".vw-actions > button")))
                .allSatisfy(button -> assertThat(button.isEnabled()).isFalse());
    }

    @Test
    void jenkinsModePollsAndSendsTheCrumbInsteadOfAToken() throws Exception {
        FakeWorkflow workflow = api.add(Fixtures.running("wf-jenkins"));
        int seeded = workflow.lastSequence();
        browser.driver().get(api.hostPageUrl("wf-jenkins", "jenkins"));
        browser.await(
                "all steps drawn",
                d -> browser.count(".vw-dag .vw-node")
                        == workflow.status().get("steps").size());

        api.update(
                "wf-jenkins",
                wf -> wf.appendEvent(
                        "step_retrying",
                        "Generate Code for Task 3",
                        FakeWorkflow.JSON.createObjectNode().put("attempt", 3).put("delayMs", 4000),
                        Instant.now()));
        browser.await("the polled event", d -> browser.count(logEntry(seeded + 1)) == 1);
        api.awaitRequest(
                "a poll of the events after the last sequence",
                request -> request.path().endsWith("/wf-jenkins/events")
                        && String.valueOf(QueryString.parse(request.query()).get("after"))
                                .equals(String.valueOf(seeded + 1)),
                TIMEOUT);

        assertThat(browser.count("button[data-action='start']"))
                .as("Jenkins starts the workflow itself")
                .isZero();
        browser.await("Pause enabled", ExpectedConditions.elementToBeClickable(action("pause")))
                .click();
        RecordedRequest pause = api.awaitRequest(
                "POST …/pause",
                request ->
                        request.method().equals("POST") && request.path().equals("/api/v1/workflows/wf-jenkins/pause"),
                TIMEOUT);
        assertThat(pause.header(FakeVoltApi.JENKINS_CRUMB_HEADER)).isEqualTo(FakeVoltApi.JENKINS_CRUMB);
        assertThat(pause.header("Authorization")).isNull();
        awaitWorkflowState("paused");
    }

    private static void awaitWorkflowState(String state) {
        browser.await(
                "the " + state + " state",
                ExpectedConditions.attributeContains(
                        By.cssSelector(".vw-title-row .vw-badge"), "class", "vw-state-" + state));
    }

    private static WebElement node(String stepName) {
        return browser.driver().findElement(By.cssSelector(".vw-dag .vw-node[data-step='" + stepName + "']"));
    }

    private static By action(String name) {
        return By.cssSelector("button[data-action='" + name + "']");
    }

    private static String logEntry(int sequence) {
        return ".vw-log tr.vw-event[data-sequence='" + sequence + "']";
    }
}
