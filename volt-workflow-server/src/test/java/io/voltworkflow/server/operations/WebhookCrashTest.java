package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.testing.OpenApiCheckedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash harness for notifications: real `volt serve` processes, SIGKILLed over and over while workflows run and
 * their notifications are derived and sent, then one left to finish. Every finished workflow must have reached every
 * subscription (0 lost), and a notification received more than once always carried the same delivery id. In each
 * round the receiver holds the first request it gets without answering until the kill, so at least one kill falls
 * between an event and its delivery; later requests fail at random, so retries are in flight when the kill lands.
 * Runs on the file store and on PostgreSQL.
 */
class WebhookCrashTest {
    private static final String URL =
            System.getenv().getOrDefault("VOLT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/volt");
    private static final String USER = System.getenv().getOrDefault("VOLT_TEST_PG_USER", "volt");
    private static final String PASSWORD = System.getenv().getOrDefault("VOLT_TEST_PG_PASSWORD", "volt");
    /** Kills per store; {@code -Dvolt.webhookcrash.rounds=N} for a longer run. */
    private static final int ROUNDS = Integer.getInteger("volt.webhookcrash.rounds", 3);

    private static final int WORKFLOWS_PER_ROUND = 2;
    private static final List<String> SUBSCRIPTIONS = List.of("ops", "audit");

    @TempDir
    Path dir;

    private final String schema = "webhook_crash_" + Long.toHexString(System.nanoTime());
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = OpenApiCheckedHttpClient.create();
    private final MockWebServer receiver = new MockWebServer();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile Round round;

    /** One notification as the receiver got it. */
    private record Received(
            String subscription, String deliveryId, String workflowId, String event, boolean answered) {}

    /** What the receiver does during one process's life. */
    private static final class Round {
        final CountDownLatch killed = new CountDownLatch(1);
        final Random random;
        final boolean last;
        boolean holding;

        Round(long seed, boolean last) {
            this.random = new Random(seed);
            this.last = last;
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            ServeProcess.kill(process);
        }
        receiver.close();
        try (var connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"file", "postgres"})
    void killedServersLoseNoNotificationAndRepeatOnlyTheSameDeliveryId(String store) throws Exception {
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return answer(request);
            }
        });
        receiver.start();
        Path config = Files.writeString(
                dir.resolve("volt.yaml"),
                """
        credentials:
          hook: {env: HOOK_SECRET}
        webhooks:
          allow: [loopback]
          retry: {maxAttempts: 100, initialIntervalMs: 20, maxIntervalMs: 200, backoffCoefficient: 2, jitter: 0.5}
          subscriptions:
        """
                        + SUBSCRIPTIONS.stream()
                                .map(id -> """
            - id: %s
              url: %s
              secret: hook
              events: [workflow_completed, workflow_failed, workflow_cancelled]
        """.formatted(id, receiver.url("/" + id)))
                                .reduce("", String::concat));

        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Set<String> workflows = new TreeSet<>();
        int heldKills = 0;
        for (int i = 0; i < ROUNDS; i++) {
            round = new Round(random.nextLong(), false);
            ServeProcess serve = serve(store, config);
            for (int w = 0; w < WORKFLOWS_PER_ROUND; w++) {
                workflows.add(create(serve.url(), "wf-crash-" + i + "-" + w));
            }
            // Kill once the receiver holds a request unanswered (an event became a delivery that is not done), or, when
            // nothing is sent this round, once this round's workflows have finished.
            await().atMost(Duration.ofMinutes(2)).until(() -> round.holding || allFinished(serve.url(), workflows));
            heldKills += round.holding ? 1 : 0;
            ServeProcess.kill(serve.process());
            round.killed.countDown();
        }
        round = new Round(random.nextLong(), true);
        ServeProcess last = serve(store, config);
        await().atMost(Duration.ofMinutes(3))
                .until(() -> allFinished(last.url(), workflows) && everyoneNotified(workflows));

        Map<String, Set<String>> idsPerNotification = new TreeMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (Received r : received) {
            String key = r.subscription() + " " + r.workflowId() + " " + r.event();
            idsPerNotification.computeIfAbsent(key, k -> new TreeSet<>()).add(r.deliveryId());
            copies.merge(key, 1, Integer::sum);
        }
        long lost = workflows.size() * (long) SUBSCRIPTIONS.size() - idsPerNotification.size();
        long duplicates = copies.values().stream().mapToInt(c -> c - 1).sum();
        System.out.printf(
                "webhook crash (%s store): %d kills (%d holding a delivery), %d workflows, %d notifications, "
                        + "%d requests, %d lost, %d repeated with their delivery id (seed %d)%n",
                store,
                ROUNDS,
                heldKills,
                workflows.size(),
                idsPerNotification.size(),
                received.size(),
                lost,
                duplicates,
                seed);
        assertThat(lost).as("lost notifications (seed %d)", seed).isZero();
        assertThat(idsPerNotification)
                .as("one delivery id per notification (seed %d)", seed)
                .allSatisfy((key, ids) -> assertThat(ids).hasSize(1));
    }

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        Round current = round;
        JsonNode body;
        try {
            body = WorkflowJson.mapper().readTree(request.getBody().toByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String subscription = request.getUrl().encodedPath().substring(1);
        boolean hold;
        boolean fail;
        synchronized (current) {
            hold = !current.last && !current.holding;
            current.holding |= hold;
            fail = !hold && !current.last && current.random.nextInt(3) == 0;
        }
        received.add(new Received(
                subscription,
                request.getHeaders().get("Volt-Delivery"),
                body.get("workflow").get("id").asText(),
                body.get("event").asText(),
                !hold && !fail));
        if (hold) {
            // Never answered before the process dies: the delivery stays undone in the outbox.
            current.killed.await(3, TimeUnit.MINUTES);
            return new MockResponse.Builder().code(503).build();
        }
        return new MockResponse.Builder().code(fail ? 500 : 200).build();
    }

    /** Every finished workflow's notification was accepted by every subscription. */
    private boolean everyoneNotified(Set<String> workflows) {
        Set<String> accepted = new TreeSet<>();
        for (Received r : received) {
            if (r.answered()) {
                accepted.add(r.subscription() + " " + r.workflowId());
            }
        }
        return accepted.size() == workflows.size() * SUBSCRIPTIONS.size();
    }

    private boolean allFinished(URI server, Set<String> workflows) throws Exception {
        for (String id : workflows) {
            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(server.resolve("api/v1/workflows/" + id))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (status.statusCode() != 200
                    || !Set.of("completed", "failed", "cancelled")
                            .contains(WorkflowJson.mapper()
                                    .readTree(status.body())
                                    .get("state")
                                    .asText())) {
                return false;
            }
        }
        return true;
    }

    private String create(URI server, String id) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(server.resolve("api/v1/workflows"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"requirement\":\"Users can rename buckets\",\"start\":true,"
                                        + "\"options\":{\"workflowId\":\"" + id + "\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        return id;
    }

    private ServeProcess serve(String store, Path config) throws IOException {
        // One instance name across restarts: a restarted server takes its own leases back at once.
        List<String> args = new ArrayList<>(List.of(
                "serve",
                "--port",
                "0",
                "--no-auth",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--instance-id",
                "webhook-crash"));
        Map<String, String> environment = new HashMap<>(Map.of("HOOK_SECRET", "crash-secret-0123456789"));
        if (store.equals("postgres")) {
            args.addAll(List.of("--store", "postgres", "--store-url", URL));
            environment.putAll(Map.of(
                    "VOLT_WORKFLOW_PG_USER",
                    USER,
                    "VOLT_WORKFLOW_PG_PASSWORD",
                    PASSWORD,
                    "VOLT_WORKFLOW_PG_SCHEMA",
                    schema));
        }
        ServeProcess serve =
                ServeProcess.start("webhooks-" + store, "io.voltworkflow.server.cli.Main", args, environment);
        processes.add(serve.process());
        return serve;
    }
}
