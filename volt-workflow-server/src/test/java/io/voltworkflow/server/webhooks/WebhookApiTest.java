package io.voltworkflow.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.VirtualTimeSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /api/v1/webhooks} on a real server: every exchange is held to docs/openapi.yaml by the fixture's client. */
@Timeout(60)
class WebhookApiTest {
    private static final String SECRET = "api-secret-0123456789";
    private final MockWebServer receiver = new MockWebServer();
    private final VirtualTimeSource clock = new VirtualTimeSource();
    private Webhooks webhooks;
    private ServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        receiver.start();
        fixture = new ServerFixture(1, (server, options) -> {
            webhooks = Webhooks.start(
                    server.orchestrator,
                    server.store.outbox().orElseThrow(),
                    WebhookOptions.builder()
                            .targets(new WebhookTargets(List.of("loopback")))
                            .retry(WebhookDeliveryTest.FOUR_ATTEMPTS)
                            .timeSource(clock)
                            .subscriptions(List.of(new WebhookSubscription(
                                    "from-file",
                                    URI.create(receiver.url("/file").toString()),
                                    Set.of(WebhookTrigger.WORKFLOW_COMPLETED),
                                    Map.of(),
                                    PayloadFormat.VOLT,
                                    80,
                                    Secret.of("file-secret-0123456789"),
                                    WebhookSubscription.Origin.CONFIGURATION)))
                            .build());
            return options.webhooks(webhooks);
        });
    }

    @AfterEach
    void stop() throws Exception {
        webhooks.close();
        fixture.close();
        receiver.close();
    }

    private String createBody(String id, String url) {
        return "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"secret\":\"" + SECRET
                + "\",\"events\":[\"workflow_completed\"],\"labels\":{\"team\":\"payments\"},\"format\":\"slack\"}";
    }

    @Test
    void subscriptionsAreCreatedListedAndDeletedWithoutEverShowingTheSecret() {
        Reply created = fixture.post(
                "/api/v1/webhooks", createBody("ops", receiver.url("/ops").toString()));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/webhooks/ops");
        assertThat(created.json().get("origin").asText()).isEqualTo("api");
        assertThat(created.json().get("format").asText()).isEqualTo("slack");

        Reply list = fixture.get("/api/v1/webhooks");
        assertThat(list.json().get("webhooks"))
                .extracting(n -> n.get("id").asText())
                .containsExactly("from-file", "ops");
        assertThat(list.body()).doesNotContain(SECRET).doesNotContain("file-secret");
        assertThat(fixture.get("/api/v1/webhooks/ops")
                        .json()
                        .get("labels")
                        .get("team")
                        .asText())
                .isEqualTo("payments");

        Reply again = fixture.post(
                "/api/v1/webhooks", createBody("ops", receiver.url("/ops").toString()));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error().get("code").asText()).isEqualTo("WEBHOOK_EXISTS");

        Reply configured = fixture.call(
                fixture.request("/api/v1/webhooks/from-file").delete().build());
        assertThat(configured.status()).isEqualTo(409);
        assertThat(configured.error().get("code").asText()).isEqualTo("WEBHOOK_CONFIGURED");

        assertThat(fixture.call(fixture.request("/api/v1/webhooks/ops").delete().build())
                        .status())
                .isEqualTo(200);
        assertThat(fixture.get("/api/v1/webhooks/ops").status()).isEqualTo(404);
    }

    @Test
    void badSubscriptionsAreRefusedNamingTheProblem() {
        Reply ftp = fixture.post("/api/v1/webhooks", createBody("a", "ftp://example.com/x"));
        assertThat(ftp.status()).isEqualTo(422);
        assertThat(ftp.error().get("field").asText()).isEqualTo("url");
        assertThat(ftp.error().get("message").asText()).isEqualTo("url must be http or https, was 'ftp:'");

        Reply internal = fixture.post("/api/v1/webhooks", createBody("b", "http://10.0.0.7/hook"));
        assertThat(internal.status()).isEqualTo(422);
        assertThat(internal.error().get("code").asText()).isEqualTo("WEBHOOK_TARGET_REFUSED");
        assertThat(internal.error().get("message").asText()).contains("10.0.0.7 is a private address");

        Reply unknownEvent = fixture.post(
                "/api/v1/webhooks",
                "{\"url\":\"https://203.0.113.5/x\",\"secret\":\"" + SECRET + "\",\"events\":[\"workflow_done\"]}");
        assertThat(unknownEvent.status()).isEqualTo(400);
        assertThat(unknownEvent.error().get("message").asText()).contains("unknown webhook event 'workflow_done'");

        Reply shortSecret = fixture.post(
                "/api/v1/webhooks",
                "{\"url\":\"https://203.0.113.5/x\",\"secret\":\"short\",\"events\":[\"workflow_failed\"]}");
        assertThat(shortSecret.status()).isEqualTo(400);
        assertThat(shortSecret.error().get("field").asText()).isEqualTo("secret");
    }

    @Test
    void aMalformedDeliveryRequestIs400NamingTheParameterWhetherOrNotTheWebhookExists() {
        for (String webhook : List.of("from-file", "no-such-hook")) {
            Reply badId = fixture.post("/api/v1/webhooks/" + webhook + "/deliveries/dlv_bad/redeliver", "");
            assertThat(badId.status()).as(webhook).isEqualTo(400);
            assertThat(badId.error().get("field").asText()).isEqualTo("deliveryId");

            Reply badState = fixture.get("/api/v1/webhooks/" + webhook + "/deliveries?state=bogus");
            assertThat(badState.status()).as(webhook).isEqualTo(400);
            assertThat(badState.error().get("field").asText()).isEqualTo("state");
        }
        assertThat(fixture.get("/api/v1/webhooks/no-such-hook/deliveries?state=dead")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aReadOnlyTokenCannotEvenListWebhooks() {
        Request request = new Request.Builder()
                .url(fixture.url("/api/v1/webhooks"))
                .header("Authorization", "Bearer " + ServerFixture.READ_TOKEN)
                .get()
                .build();
        Reply reply = fixture.call(request);
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error().get("message").asText()).isEqualTo("webhooks need a full-access token");
    }

    @Test
    void deliveriesAreListedAndADeadOneIsRedeliveredWithItsId() throws Exception {
        for (int i = 0; i < 4; i++) {
            receiver.enqueue(new MockResponse.Builder().code(500).build());
        }
        WorkflowId id = fixture.createStarted("Add a login page");
        fixture.awaitTermination(id);
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(receiver.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
            if (attempt < 4) {
                await().until(() -> clock.pendingTasks() > 0);
                clock.advance(clock.untilNextTask());
            }
        }
        await().until(() -> fixture.get("/api/v1/webhooks/from-file/deliveries?state=dead")
                        .json()
                        .get("deliveries")
                        .size()
                == 1);
        JsonNode dead = fixture.get("/api/v1/webhooks/from-file/deliveries?state=dead")
                .json()
                .get("deliveries")
                .get(0);
        assertThat(dead.get("attempts").asInt()).isEqualTo(4);
        assertThat(dead.get("lastStatus").asInt()).isEqualTo(500);
        assertThat(dead.get("payload").get("workflow").get("id").asText()).isEqualTo(id.value());

        receiver.enqueue(new MockResponse.Builder().code(200).build());
        Reply redelivered = fixture.post(
                "/api/v1/webhooks/from-file/deliveries/"
                        + dead.get("deliveryId").asText() + "/redeliver",
                "");
        assertThat(redelivered.status()).isEqualTo(202);
        RecordedRequest again = receiver.takeRequest(10, TimeUnit.SECONDS);
        assertThat(again.getHeaders().get("Volt-Delivery"))
                .isEqualTo(dead.get("deliveryId").asText());
        await().until(() -> fixture.get("/api/v1/webhooks/from-file/deliveries?state=delivered")
                        .json()
                        .get("deliveries")
                        .size()
                == 1);
        assertThat(fixture.post(
                                "/api/v1/webhooks/from-file/deliveries/dlv_00000000000000000000000000000000/redeliver",
                                "")
                        .status())
                .isEqualTo(404);
        assertThat(webhooks.awaitSettled(id, 1, Duration.ofSeconds(5))).isTrue();
    }
}
