package io.voltworkflow.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.outbox.DeliveryState;
import io.voltworkflow.core.outbox.OutboxEntry;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.time.VirtualTimeSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.server.testing.TestEngines;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.Timeout;

/** Real orchestrator, real loopback receiver, webhooks on a virtual clock: what receivers get, and when. */
@Timeout(60)
class WebhookDeliveryTest {
    static final String SECRET = "whsec-0123456789abcdef";
    static final RetryPolicy FOUR_ATTEMPTS = RetryPolicy.builder()
            .maxAttempts(4)
            .initialInterval(Duration.ofSeconds(10))
            .backoffCoefficient(2)
            .maxInterval(Duration.ofMinutes(1))
            .jitter(0.5)
            .build();

    private final MockWebServer receiver = new MockWebServer();
    private final VirtualTimeSource clock = new VirtualTimeSource();
    private final TestEngines engines = new TestEngines(1);
    private final InMemoryWorkflowStore store = new InMemoryWorkflowStore();
    private WorkflowOrchestrator orchestrator;
    private Webhooks webhooks;

    @BeforeEach
    void start() throws Exception {
        receiver.start();
        orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(engines.engines())
                .retryPolicy(RetryPolicy.NO_RETRY)
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        if (webhooks != null) {
            webhooks.close();
        }
        orchestrator.close();
        receiver.close();
    }

    private WebhookSubscription subscription(
            String id, String path, Set<WebhookTrigger> events, Map<String, String> labels, PayloadFormat format) {
        return new WebhookSubscription(
                id,
                URI.create(receiver.url(path).toString()),
                events,
                labels,
                format,
                WebhookSubscription.DEFAULT_BUDGET_PERCENT,
                Secret.of(SECRET + id),
                WebhookSubscription.Origin.CONFIGURATION);
    }

    private void startWebhooks(List<WebhookSubscription> subscriptions) {
        webhooks = Webhooks.start(
                orchestrator,
                store.outbox().orElseThrow(),
                WebhookOptions.builder()
                        .targets(new WebhookTargets(List.of("loopback")))
                        .retry(FOUR_ATTEMPTS)
                        .timeSource(clock)
                        .random(() -> 0.5)
                        .workflowPageBase(URI.create("https://volt.example.com"))
                        .subscriptions(subscriptions)
                        .build());
    }

    private WorkflowId failingWorkflow(Map<String, String> labels) {
        engines.failValidationOnce();
        WorkflowId id = orchestrator
                .createWorkflow(
                        "Add a login page",
                        Map.of(),
                        WorkflowOptions.builder()
                                .labels(labels)
                                .maxRepairRounds(0)
                                .build())
                .workflowId();
        orchestrator.startWorkflow(id);
        orchestrator.awaitTermination(id).join();
        return id;
    }

    @Test
    void aFailingWorkflowSendsOneSignedDeliveryPerMatchingSubscription() throws Exception {
        startWebhooks(List.of(
                subscription(
                        "ops",
                        "/ops",
                        Set.of(WebhookTrigger.WORKFLOW_FAILED, WebhookTrigger.WORKFLOW_COMPLETED),
                        Map.of(),
                        PayloadFormat.VOLT),
                subscription(
                        "payments",
                        "/payments",
                        Set.of(WebhookTrigger.WORKFLOW_FAILED),
                        Map.of("team", "payments"),
                        PayloadFormat.VOLT),
                subscription(
                        "other-team",
                        "/other",
                        Set.of(WebhookTrigger.WORKFLOW_FAILED),
                        Map.of("team", "search"),
                        PayloadFormat.VOLT),
                subscription("steps", "/steps", Set.of(WebhookTrigger.STEP_FAILED), Map.of(), PayloadFormat.VOLT),
                subscription(
                        "done", "/done", Set.of(WebhookTrigger.WORKFLOW_COMPLETED), Map.of(), PayloadFormat.VOLT)));
        for (int i = 0; i < 3; i++) {
            receiver.enqueue(new MockResponse.Builder().code(204).build());
        }

        WorkflowId id = failingWorkflow(Map.of("team", "payments"));
        assertThat(webhooks.awaitSettled(id, orchestrator.getWorkflowStatus(id).lastSequence(), Duration.ofSeconds(30)))
                .isTrue();

        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(receiver.takeRequest(10, TimeUnit.SECONDS));
        }
        assertThat(requests).doesNotContainNull();
        assertThat(receiver.takeRequest(0, TimeUnit.SECONDS))
                .as("no other delivery")
                .isNull();
        assertThat(requests)
                .extracting(r -> r.getUrl().encodedPath())
                .containsExactlyInAnyOrder("/ops", "/payments", "/steps");
        for (RecordedRequest request : requests) {
            String subscription = request.getUrl().encodedPath().substring(1);
            byte[] body = request.getBody().toByteArray();
            assertThat(DocumentedSignature.verify(
                            SECRET + subscription,
                            request.getHeaders().get("Volt-Signature"),
                            body,
                            clock.now().getEpochSecond()))
                    .as("signature of " + subscription)
                    .isTrue();
            assertThat(DocumentedSignature.verify(
                            "another-secret-0123456789",
                            request.getHeaders().get("Volt-Signature"),
                            body,
                            clock.now().getEpochSecond()))
                    .isFalse();
            JsonNode json = WorkflowJson.mapper().readTree(body);
            assertThat(json.get("deliveryId").asText())
                    .isEqualTo(request.getHeaders().get("Volt-Delivery"))
                    .startsWith("dlv_");
            assertThat(json.get("event").asText())
                    .isEqualTo(request.getHeaders().get("Volt-Event"));
            assertThat(json.get("workflow").get("id").asText()).isEqualTo(id.value());
            assertThat(json.get("workflow").get("url").asText())
                    .isEqualTo("https://volt.example.com/#/workflows/" + id.value());
            assertThat(json.get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain(SECRET);
        }
        assertThat(webhooks.deliveries(null, null, 10)).hasSize(3).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(d.attempts()).isOne();
        });
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheSameDeliveryIdFourTimes() throws Exception {
        startWebhooks(List.of(
                subscription("ops", "/ops", Set.of(WebhookTrigger.WORKFLOW_FAILED), Map.of(), PayloadFormat.VOLT)));
        for (int i = 0; i < 3; i++) {
            receiver.enqueue(new MockResponse.Builder().code(500).build());
        }
        receiver.enqueue(new MockResponse.Builder().code(200).build());

        failingWorkflow(Map.of());
        List<String> ids = new ArrayList<>();
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            RecordedRequest request = receiver.takeRequest(10, TimeUnit.SECONDS);
            assertThat(request).as("attempt " + attempt).isNotNull();
            ids.add(request.getHeaders().get("Volt-Delivery"));
            if (attempt < 4) {
                await().until(() -> clock.pendingTasks() > 0);
                waits.add(clock.untilNextTask());
                clock.advance(clock.untilNextTask());
            }
        }
        assertThat(ids).hasSize(4).containsOnly(ids.get(0));
        // random() = 0.5 puts jitter at the middle: 10 s, 20 s, 40 s.
        assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40));
        await().until(() ->
                webhooks.deliveries("ops", DeliveryState.DELIVERED, 10).size() == 1);
        OutboxEntry delivered = webhooks.deliveries("ops", null, 10).get(0);
        assertThat(delivered.attempts()).isEqualTo(4);
        assertThat(delivered.lastStatus()).isEqualTo(200);
    }

    @Test
    void afterTheLastAttemptADeliveryIsDeadUntilRedelivered() throws Exception {
        startWebhooks(List.of(
                subscription("ops", "/ops", Set.of(WebhookTrigger.WORKFLOW_FAILED), Map.of(), PayloadFormat.VOLT)));
        for (int i = 0; i < 4; i++) {
            receiver.enqueue(new MockResponse.Builder().code(503).build());
        }
        failingWorkflow(Map.of());
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(receiver.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
            if (attempt < 4) {
                await().until(() -> clock.pendingTasks() > 0);
                clock.advance(clock.untilNextTask());
            }
        }
        await().until(() -> webhooks.deliveries("ops", DeliveryState.DEAD, 10).size() == 1);
        OutboxEntry dead = webhooks.deliveries("ops", DeliveryState.DEAD, 10).get(0);
        assertThat(dead.attempts()).isEqualTo(4);
        assertThat(dead.lastError()).isEqualTo("HTTP 503");

        receiver.enqueue(new MockResponse.Builder().code(202).build());
        webhooks.redeliver(dead.deliveryId());
        RecordedRequest again = receiver.takeRequest(10, TimeUnit.SECONDS);
        assertThat(again.getHeaders().get("Volt-Delivery")).isEqualTo(dead.deliveryId());
        await().until(() ->
                webhooks.deliveries("ops", DeliveryState.DELIVERED, 10).size() == 1);
    }

    @Test
    void slackAndTeamsGetMessagesTheyShowWithALinkToTheWorkflow() throws Exception {
        startWebhooks(List.of(
                subscription("slack", "/slack", Set.of(WebhookTrigger.WORKFLOW_FAILED), Map.of(), PayloadFormat.SLACK),
                subscription(
                        "teams", "/teams", Set.of(WebhookTrigger.WORKFLOW_FAILED), Map.of(), PayloadFormat.TEAMS)));
        receiver.enqueue(new MockResponse.Builder().code(200).build());
        receiver.enqueue(new MockResponse.Builder().code(200).build());
        WorkflowId id = failingWorkflow(Map.of());
        String link = "https://volt.example.com/#/workflows/" + id.value();
        for (int i = 0; i < 2; i++) {
            RecordedRequest request = receiver.takeRequest(10, TimeUnit.SECONDS);
            JsonNode body = WorkflowJson.mapper().readTree(request.getBody().toByteArray());
            if (request.getUrl().encodedPath().equals("/slack")) {
                assertThat(body.get("text").asText())
                        .startsWith("Workflow " + id.value() + " failed")
                        .contains(link);
                assertThat(body.get("blocks").get(0).get("text").get("text").asText())
                        .startsWith("*<" + link + "|Workflow " + id.value() + " failed")
                        .contains("VALIDATION_FAILED: tests failed");
            } else {
                assertThat(body.get("type").asText()).isEqualTo("message");
                JsonNode card = body.get("attachments").get(0);
                assertThat(card.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
                assertThat(card.get("content").get("body").get(0).get("text").asText())
                        .startsWith("Workflow " + id.value() + " failed");
                assertThat(card.get("content").get("actions").get(0).get("url").asText())
                        .isEqualTo(link);
            }
        }
    }

    @Test
    void internalTargetsAreRefusedUnlessAllowListed() {
        WebhookTargets publicOnly = WebhookTargets.PUBLIC_ONLY;
        assertThatThrownBy(() -> publicOnly.check("ftp://example.com/hook"))
                .hasMessage("url must be http or https, was 'ftp:'");
        assertThatThrownBy(() -> publicOnly.check("http://127.0.0.1:9/hook")).hasMessageContaining("loopback address");
        assertThatThrownBy(() -> publicOnly.check("http://10.1.2.3/hook")).hasMessageContaining("private address");
        assertThatThrownBy(() -> publicOnly.check("http://169.254.169.254/latest"))
                .hasMessageContaining("link-local address");
        assertThatThrownBy(() -> publicOnly.check("http://[::1]/hook")).hasMessageContaining("loopback address");
        assertThatThrownBy(() -> publicOnly.check("https://user:pw@203.0.113.9/hook"))
                .hasMessageContaining("user name");
        assertThat(publicOnly.check("https://203.0.113.9/hook").getHost()).isEqualTo("203.0.113.9");
        assertThat(new WebhookTargets(List.of("10.1.0.0/16")).check("http://10.1.2.3/hook"))
                .isNotNull();
        assertThatThrownBy(() -> new WebhookTargets(List.of("10.1.0.0/16")).check("http://10.2.0.1/hook"))
                .hasMessageContaining("private address");
        assertThatThrownBy(() -> new WebhookTargets(List.of("10.1.0.0/99"))).hasMessageContaining("not a CIDR block");
    }

    @Test
    void theDocumentPrintsTheVerifierTheseTestsUse() throws Exception {
        String document = Files.readString(Path.of("..", "docs", "webhooks.md"));
        String source = Files.readString(
                Path.of("src", "test", "java", "io", "voltworkflow", "server", "webhooks", "DocumentedSignature.java"));
        String method = source.substring(
                source.indexOf("// verify-java begin") + "// verify-java begin".length(),
                source.indexOf("// verify-java end"));
        assertThat(normalize(document)).contains(normalize(method));
    }

    private static String normalize(String code) {
        return code.replaceAll("\\s+", " ").strip();
    }
}
