package io.voltworkflow.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volt run} reads the configuration file's webhooks and sends them before it exits. */
class RunWebhooksTest {
    @TempDir
    Path dir;

    private final MockWebServer receiver = new MockWebServer();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private int volt(Map<String, String> variables, String... args) {
        CliEnvironment env = new CliEnvironment(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                variables,
                false,
                dir,
                ConfiguredEngines::new,
                new CompletableFuture<>());
        return new Cli(env).run(List.of(args));
    }

    private Path config(String webhooks) throws Exception {
        return Files.writeString(dir.resolve("volt.yaml"), """
        credentials:
          hook: {env: HOOK_SECRET}
        webhooks:
        """ + webhooks.indent(2));
    }

    @Test
    void aCompletedRunIsNotifiedBeforeTheCommandReturns() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(200).build());
        Path config = config("""
        allow: [loopback]
        workflowPageBase: https://volt.example.com/
        subscriptions:
          - id: ci
            url: %s
            secret: hook
            events: [workflow_completed]
            labels: {team: payments}
        """.formatted(receiver.url("/ci")));

        int code = volt(
                Map.of("HOOK_SECRET", "hook-secret-0123456789"),
                "run",
                "Users can rename buckets",
                "--data-dir",
                dir.resolve("data").toString(),
                "--config",
                config.toString(),
                "--workflow-id",
                "wf-hook",
                "--label",
                "team=payments");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(receiver.getRequestCount()).isEqualTo(1);
        RecordedRequest request = receiver.takeRequest(0, TimeUnit.SECONDS);
        JsonNode body = WorkflowJson.mapper().readTree(request.getBody().toByteArray());
        assertThat(body.get("event").asText()).isEqualTo("workflow_completed");
        assertThat(body.get("workflow").get("url").asText()).isEqualTo("https://volt.example.com/#/workflows/wf-hook");
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                .doesNotContain("hook-secret-0123456789");
    }

    @Test
    void aDeliveryWaitingForARetryIsLeftToTheNextProcessAndSaidSo() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(503).build());
        Path config = config("""
        allow: [loopback]
        subscriptions:
          - {id: ci, url: "%s", secret: hook, events: [workflow_completed]}
        """.formatted(receiver.url("/ci")));
        int code = volt(
                Map.of("HOOK_SECRET", "hook-secret-0123456789"),
                "run",
                "Users can rename buckets",
                "--data-dir",
                dir.resolve("data").toString(),
                "--config",
                config.toString());
        assertThat(code).isZero();
        assertThat(receiver.getRequestCount()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("volt: 1 webhook delivery of this workflow waits for a "
                        + "retry; the next volt run or volt serve on " + dir.resolve("data") + " sends them");
    }

    @Test
    void aBadWebhooksSectionIsAUsageErrorNamingTheField() throws Exception {
        Path config = config("""
        subscriptions:
          - id: ci
            url: http://127.0.0.1:9/hook
            secret: hook
            events: [workflow_completed]
        """);
        int code = volt(
                Map.of("HOOK_SECRET", "hook-secret-0123456789"),
                "run",
                "Users can rename buckets",
                "--data-dir",
                dir.resolve("data").toString(),
                "--config",
                config.toString());
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("webhooks.subscriptions[0].url host 127.0.0.1 is a loopback address");

        err.reset();
        config("""
        subscriptions:
          - {id: ci, url: "https://203.0.113.7/hook", secret: hook, events: [workflow_done]}
        """);
        assertThat(volt(
                        Map.of("HOOK_SECRET", "hook-secret-0123456789"),
                        "run",
                        "x",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--config",
                        config.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("webhooks.subscriptions[0].events: unknown webhook event 'workflow_done'");

        err.reset();
        config("""
        subscriptions:
          - {id: ci, url: "https://203.0.113.7/hook", secret: hook, events: [workflow_failed]}
        """);
        assertThat(volt(
                        Map.of(),
                        "run",
                        "x",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--config",
                        config.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("environment variable HOOK_SECRET is not set");
    }
}
