package io.voltworkflow.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.outbox.DeliveryState;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.webhooks.PayloadFormat;
import io.voltworkflow.server.webhooks.WebhookOptions;
import io.voltworkflow.server.webhooks.WebhookSubscription;
import io.voltworkflow.server.webhooks.WebhookTargets;
import io.voltworkflow.server.webhooks.WebhookTrigger;
import io.voltworkflow.server.webhooks.Webhooks;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The Webhooks page in headless Chromium: a dead delivery is shown and sent again with its id by its button. */
class WebhooksInBrowserTest {
    private static final String SECRET = "browser-secret-0123456789";

    @TempDir
    Path profile;

    private final MockWebServer receiver = new MockWebServer();
    private HeadlessChromium browser;
    private ServerFixture fixture;
    private Webhooks webhooks;

    @BeforeEach
    void start() throws Exception {
        receiver.start();
        browser = new HeadlessChromium(profile);
        fixture = new ServerFixture(1, (server, options) -> {
            webhooks = Webhooks.start(
                    server.orchestrator,
                    server.store.outbox().orElseThrow(),
                    WebhookOptions.builder()
                            .targets(new WebhookTargets(List.of("loopback")))
                            .retry(RetryPolicy.NO_RETRY)
                            .subscriptions(List.of(new WebhookSubscription(
                                    "ops",
                                    URI.create(receiver.url("/hooks/T0KEN").toString()),
                                    Set.of(WebhookTrigger.WORKFLOW_COMPLETED),
                                    Map.of(),
                                    PayloadFormat.SLACK,
                                    80,
                                    Secret.of(SECRET),
                                    WebhookSubscription.Origin.CONFIGURATION)))
                            .build());
            return options.webhooks(webhooks);
        });
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (webhooks != null) {
            webhooks.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        receiver.close();
    }

    @Test
    void aDeadDeliveryIsRedeliveredFromThePage() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(502).build());
        WorkflowId id = fixture.createStarted("Add a login page");
        fixture.awaitTermination(id);
        String deliveryId =
                receiver.takeRequest(10, TimeUnit.SECONDS).getHeaders().get("Volt-Delivery");
        await().until(() -> webhooks.deliveries("ops", DeliveryState.DEAD, 10).size() == 1);

        var driver = browser.driver;
        driver.get(fixture.url("/#/workflows"));
        driver.findElement(By.id("token-input")).sendKeys(ServerFixture.FULL_TOKEN);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        driver.findElement(By.cssSelector(".app-nav a[data-route=webhooks]")).click();
        WebElement row = browser.await(
                "the dead delivery",
                ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("tr[data-delivery-id='" + deliveryId + "'][data-state=dead]")));
        assertThat(row.getText()).contains("Dead").contains("HTTP 502").contains(id.value());
        assertThat(driver.findElement(By.cssSelector("section.webhook[data-webhook-id=ops]"))
                        .getText())
                .contains(receiver.url("/").toString().replaceAll("/$", ""))
                .contains("slack")
                .doesNotContain("T0KEN");
        assertThat(driver.getPageSource()).doesNotContain(SECRET).doesNotContain("T0KEN");
        browser.screenshot("webhooks-dead-delivery");

        receiver.enqueue(new MockResponse.Builder().code(200).build());
        row.findElement(By.cssSelector("button.redeliver")).click();
        RecordedRequest again = receiver.takeRequest(10, TimeUnit.SECONDS);
        assertThat(again.getHeaders().get("Volt-Delivery")).isEqualTo(deliveryId);
        await().until(() ->
                webhooks.deliveries("ops", DeliveryState.DELIVERED, 10).size() == 1);
        driver.findElement(By.xpath("//button[text()='Refresh']")).click();
        browser.await(
                "the delivered state",
                ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("tr[data-delivery-id='" + deliveryId + "'][data-state=delivered]")));
        assertThat(browser.consoleProblems()).isEmpty();
    }
}
