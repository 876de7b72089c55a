package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a damaged file store, with real processes: {@code serve} stopped by SIGTERM exits 0; one
 * byte changed in an event while it is down; {@code volt store verify} names the lost event; {@code serve} reports
 * it on {@code /readyz} and {@code /metrics}, the workflow's status and its events; {@code volt store repair}
 * acknowledges it; a store that cannot be opened at all is one line and exit 78.
 */
class DamagedStoreServeTest {
    private static final Pattern SERVING = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+/)");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void damageIsReportedEverywhereUntilRepairedAndServeExitsCleanly() throws Exception {
        Served first = serve();
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(first.url.resolve("api/v1/workflows"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"requirement\":\"Build a REST API for user management\","
                                        + "\"start\":true,\"options\":{\"workflowId\":\"wf-dmg\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode completed = awaitState(first.url, "wf-dmg", "completed");
        assertThat(completed.get("damaged").isNull()).isTrue();
        assertThat(stop(first)).as(first.output()).isZero();
        assertThat(first.output()).contains("Stopped.");

        damageEvent("wf-dmg", 5);
        Finished verify = cli("store", "verify", dir.toString());
        assertThat(verify.code()).as(verify.output()).isEqualTo(1);
        assertThat(verify.output()).contains("wf-dmg: events 5..5 lost").contains("not acknowledged");

        Served second = serve();
        assertThat(get(second.url, "readyz")).contains("\"storeDamage\":{\"damagedWorkflows\":1");
        assertThat(get(second.url, "metrics")).contains("volt_store_damaged_workflows{acknowledged=\"false\"} 1");
        JsonNode status = WorkflowJson.mapper().readTree(get(second.url, "api/v1/workflows/wf-dmg/status"));
        assertThat(status.at("/damaged/lost/0/from").asLong()).isEqualTo(5);
        assertThat(status.at("/damaged/acknowledged").asBoolean()).isFalse();
        JsonNode page =
                WorkflowJson.mapper().readTree(get(second.url, "api/v1/workflows/wf-dmg/events?after=4&limit=2"));
        assertThat(page.at("/events/0/type").asText()).isEqualTo("history_lost");
        assertThat(page.at("/events/0/sequence").asLong()).isEqualTo(5);
        assertThat(page.at("/events/0/data/fromSequence").asLong()).isEqualTo(5);
        assertThat(page.at("/events/1/sequence").asLong()).isEqualTo(6);
        assertThat(stop(second)).isZero();

        Finished repair = cli("store", "repair", dir.toString());
        assertThat(repair.code()).as(repair.output()).isZero();
        Finished again = cli("store", "verify", dir.toString());
        assertThat(again.code()).as(again.output()).isZero();
        assertThat(again.output())
                .contains("wf-dmg: events 5..5 lost")
                .contains("(acknowledged)")
                .contains("healthy");

        try (Stream<Path> files = Files.list(dir.resolve("store"))) {
            for (Path segment : files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .toList()) {
                Files.write(segment, new byte[64]);
            }
        }
        Finished refused = cli("serve", "--port", "0", "--no-auth", "--data-dir", dir.toString());
        assertThat(refused.code()).isEqualTo(78);
        assertThat(refused.output().strip().lines())
                .singleElement()
                .asString()
                .startsWith("volt: the store cannot be opened: ")
                .contains("not a Volt Workflow log");
    }

    private record Served(Process process, URI url, StringBuilder seen, Thread drain) {
        String output() {
            synchronized (seen) {
                return seen.toString();
            }
        }
    }

    private record Finished(int code, String output) {}

    private ProcessBuilder volt(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.voltworkflow.server.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private Served serve() throws IOException {
        Process process = volt(
                        "serve", "--port", "0", "--no-auth", "--data-dir", dir.toString(), "--validate-with", "true")
                .start();
        processes.add(process);
        BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher matcher = SERVING.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(
                        () -> output.lines().forEach(rest -> {
                            synchronized (seen) {
                                seen.append(rest).append('\n');
                            }
                        }),
                        "drain");
                drain.setDaemon(true);
                drain.start();
                return new Served(process, URI.create(matcher.group(1)), seen, drain);
            }
        }
        throw new AssertionError("serve did not start:\n" + seen);
    }

    /** SIGTERM, as a service manager stops it; its exit code. (Process.destroy would close its output too.) */
    private static int stop(Served served) throws InterruptedException {
        served.process().toHandle().destroy();
        assertThat(served.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        served.drain().join(TimeUnit.SECONDS.toMillis(30));
        return served.process().exitValue();
    }

    private Finished cli(String... args) throws Exception {
        Process process = volt(args).start();
        processes.add(process);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Finished(process.exitValue(), output);
    }

    /** Changes one byte inside the stored record of an event, as a failing disk would. */
    private void damageEvent(String workflowId, long sequence) throws IOException {
        byte[] needle = ("{\"workflowId\":\"" + workflowId + "\",\"sequence\":" + sequence + ",")
                .getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir.resolve("store"))) {
            for (Path segment : files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .toList()) {
                byte[] bytes = Files.readAllBytes(segment);
                for (int at = 0; at + needle.length <= bytes.length; at++) {
                    if (java.util.Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length)) {
                        bytes[at + needle.length + 3] ^= 0x5a;
                        Files.write(segment, bytes);
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no record of event " + sequence + " of " + workflowId);
    }

    private String get(URI server, String path) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(server.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /** Polls the status with a short pause between requests until the state is reached (at most two minutes). */
    private JsonNode awaitState(URI server, String id, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(server.resolve("api/v1/workflows/" + id))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            last = response.body();
            if (response.statusCode() == 200
                    && WorkflowJson.mapper()
                            .readTree(last)
                            .get("state")
                            .asText()
                            .equals(state)) {
                return WorkflowJson.mapper().readTree(last);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new AssertionError(id + " did not reach " + state + ": " + last);
    }
}
