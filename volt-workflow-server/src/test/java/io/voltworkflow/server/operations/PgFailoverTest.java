package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.cli.WitnessedServe;
import io.voltworkflow.store.postgres.TcpProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code volt serve} processes on one PostgreSQL, SIGKILLed at random while workflows are created on any of
 * them, and the database made unreachable once (through a relay that cuts and refuses connections: restarting
 * the shared server would disturb the tests running next to this one). Every engine call and validation command
 * is witnessed with its idempotency key before it runs ({@link WitnessedServe}). Then: every workflow completed (0
 * lost), one completion per step (0 duplicated), gap-free logs, every step's calls under one key and each call
 * matched by a start the store accepted under its lease, none after the step's completion (0 stale
 * re-executions), any instance answers for any workflow and a retried create on any instance answers with it.
 *
 * <p>{@code -Dvolt.pgfailover.kills=N} (default 4) and {@code -Dvolt.pgfailover.workflows=N} (default 15) make it a
 * soak; {@code -Dvolt.pgfailover.seed=S} replays a run's choices.
 *
 * <p>Each instance's output is kept; when a workflow does not finish, the failure names its row in the store (state,
 * owner, lease) and what the instances logged about it, and the logs are copied to {@code target/pgfailover-logs}.
 */
class PgFailoverTest {
    private static final String URL =
            System.getenv().getOrDefault("VOLT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/volt");
    private static final String USER = System.getenv().getOrDefault("VOLT_TEST_PG_USER", "volt");
    private static final String PASSWORD = System.getenv().getOrDefault("VOLT_TEST_PG_PASSWORD", "volt");
    private static final int INSTANCES = 3;
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);
    private static final Duration BOUND = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final String schema = "pgfailover_" + Long.toHexString(System.nanoTime());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process[] processes = new Process[INSTANCES];
    private final URI[] urls = new URI[INSTANCES];
    /** Each start of an instance gets a new name, so a takeover shows as a change of owner. */
    private final String[] instanceIds = new String[INSTANCES];

    private int starts;
    private TcpProxy database;
    private String databaseUrl;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            if (process != null) {
                kill(process);
            }
        }
        if (database != null) {
            database.close();
        }
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void killedInstancesNeverCostAWorkflowNorRepeatACompletedStep() throws Exception {
        int kills = Integer.getInteger("volt.pgfailover.kills", 4);
        int workflowCount = Integer.getInteger("volt.pgfailover.workflows", 15);
        long seed = Long.getLong("volt.pgfailover.seed", System.nanoTime());
        Random random = new Random(seed);
        URI target = URI.create(URL.substring("jdbc:".length()));
        database = new TcpProxy(target.getHost(), target.getPort()).start();
        databaseUrl = "jdbc:postgresql://127.0.0.1:" + database.port() + target.getRawPath();
        for (int i = 0; i < INSTANCES; i++) {
            urls[i] = serve(i);
        }

        List<String> ids = new ArrayList<>();
        List<Long> takeoverMillis = new ArrayList<>();
        int perRound = Math.max(1, workflowCount / (kills + 1));
        boolean outageDone = false;
        for (int round = 0; round <= kills; round++) {
            int toCreate = round == kills ? workflowCount - ids.size() : Math.min(perRound, workflowCount - ids.size());
            for (int n = 0; n < toCreate; n++) {
                String id = "wf-" + ids.size();
                ids.add(id);
                create(id, random);
            }
            if (round == kills) {
                break;
            }
            if (!outageDone && round == kills / 2) {
                outageDone = true;
                databaseOutage(random);
            }
            // Kill after 1-4 more witnessed calls: mid-analysis, mid-codegen, mid-validation, whatever runs then (or
            // once everything created so far finished), an instance that runs something if one does.
            long calls = witnessed().size() + 1L + random.nextInt(4);
            await(
                    "the instances make " + calls + " engine calls",
                    () -> witnessed().size() >= calls
                            || queryLong("SELECT count(*) FROM workflows WHERE NOT terminal") == 0);
            List<Integer> busy = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                if (!ownedBy(instanceIds[i]).isEmpty()) {
                    busy.add(i);
                }
            }
            int victim = busy.isEmpty() ? random.nextInt(INSTANCES) : busy.get(random.nextInt(busy.size()));
            String killed = instanceIds[victim];
            Set<String> owned = ownedBy(killed);
            long killedAt = System.nanoTime();
            kill(processes[victim]);
            processes[victim] = null;
            if (!owned.isEmpty()) {
                await(
                        "the workflows of the killed instance are taken over",
                        () -> owned.stream().allMatch(id -> movedOn(id, killed)));
                takeoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            }
            urls[victim] = serve(victim);
        }

        Map<String, JsonNode> finals = new HashMap<>();
        for (String id : ids) {
            try {
                await(id + " completes", () -> {
                    JsonNode status = status(urls[random.nextInt(INSTANCES)], id);
                    if (status != null && status.get("state").asText().equals("completed")) {
                        finals.put(id, status);
                        return true;
                    }
                    return false;
                });
            } catch (AssertionError unfinished) {
                throw new AssertionError(
                        unfinished.getMessage() + " (seed " + seed + ")\n" + diagnosis(id), unfinished);
            }
        }

        int lost = 0;
        int duplicated = 0;
        int gaps = 0;
        int stale = 0;
        List<String> problems = new ArrayList<>();
        Map<String, List<String[]>> callsByStep = new HashMap<>();
        for (String line : witnessed()) {
            String[] call = line.split("\t");
            callsByStep
                    .computeIfAbsent(call[0] + "\t" + call[1], k -> new ArrayList<>())
                    .add(call);
        }
        for (String id : ids) {
            URI any = urls[random.nextInt(INSTANCES)];
            JsonNode status = finals.get(id);
            if (status == null || !status.get("state").asText().equals("completed")) {
                lost++;
                problems.add(id + " did not complete");
                continue;
            }
            List<JsonNode> events = events(any, id);
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).get("sequence").asLong() != i + 1) {
                    gaps++;
                    problems.add(id + ": event " + (i + 1) + " has sequence "
                            + events.get(i).get("sequence"));
                    break;
                }
            }
            for (JsonNode step : status.get("steps")) {
                String name = step.get("name").asText();
                String key = step.get("idempotencyKey").asText();
                int starts = 0;
                int completions = 0;
                int startsAfterCompletion = 0;
                for (JsonNode event : events) {
                    if (!event.path("step").asText().equals(name)) {
                        continue;
                    }
                    switch (event.get("type").asText()) {
                        case "step_started" -> {
                            starts++;
                            startsAfterCompletion += completions;
                        }
                        case "step_completed" -> completions++;
                        default -> {}
                    }
                }
                if (completions != 1) {
                    duplicated += Math.max(0, completions - 1);
                    lost += completions == 0 ? 1 : 0;
                    problems.add(id + " " + name + " completed " + completions + " times");
                }
                List<String[]> calls = callsByStep.getOrDefault(id + "\t" + name, List.of());
                // A call the store did not first accept a start for, or one after the completion, ran a step again.
                int unmatched = Math.max(0, calls.size() - starts) + startsAfterCompletion;
                if (unmatched > 0) {
                    stale += unmatched;
                    problems.add(id + " " + name + ": " + calls.size() + " calls for " + starts + " stored starts, "
                            + startsAfterCompletion + " starts after its completion");
                }
                for (String[] call : calls) {
                    if (!call[2].equals(key)) {
                        problems.add(id + " " + name + " was called with key " + call[2] + ", its key is " + key);
                    }
                }
            }
            // A create retried on any instance answers with the workflow as it is.
            HttpResponse<String> retried = post(urls[random.nextInt(INSTANCES)], createBody(id));
            if (retried.statusCode() != 200
                    || !WorkflowJson.mapper()
                            .readTree(retried.body())
                            .get("state")
                            .asText()
                            .equals("completed")) {
                problems.add("create of " + id + " retried: " + retried.statusCode() + " " + retried.body());
            }
        }
        assertThat(queryLong("SELECT count(*) FROM workflows WHERE owner IS NOT NULL"))
                .as("leases of finished workflows")
                .isZero();

        List<Long> sorted = takeoverMillis.stream().sorted().toList();
        String summary = String.format(
                "pg-failover: %d kills, %d workflows, %d lost, %d duplicated, %d gaps, %d stale"
                        + " re-executions, takeover p50 %s / max %s (lease %d ms, seed %d)",
                kills,
                ids.size(),
                lost,
                duplicated,
                gaps,
                stale,
                sorted.isEmpty() ? "-" : sorted.get(sorted.size() / 2) + " ms",
                sorted.isEmpty() ? "-" : sorted.get(sorted.size() - 1) + " ms",
                LEASE_TTL.toMillis(),
                seed);
        System.out.println(summary);
        assertThat(problems).as(summary).isEmpty();
    }

    /**
     * The database becomes unreachable: every instance turns unready and refuses creates at once; once it is back,
     * they are ready again and carry on by themselves.
     */
    private void databaseOutage(Random random) throws Exception {
        database.stop();
        URI any = urls[random.nextInt(INSTANCES)];
        await("an instance reports not ready while the database is down", () -> readyz(any) == 503);
        HttpResponse<String> refused = post(any, createBody("wf-during-outage"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("UNAVAILABLE");
        database.start();
        for (URI url : urls) {
            await("ready again once the database is back", () -> readyz(url) == 200);
        }
    }

    /**
     * Creates a workflow on a random instance, as a client does: a 503 (an instance whose lease lapsed under load, or
     * another instance holding the lease of a create in flight) is retried on another random instance, where the
     * same body must find the same workflow.
     */
    private void create(String id, Random random) throws Exception {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        await("create " + id, () -> {
            try {
                last.set(post(urls[random.nextInt(INSTANCES)], createBody(id)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return last.get().statusCode() != 503;
        });
        assertThat(last.get().statusCode())
                .as("create %s: %s", id, last.get().body())
                .isIn(200, 201);
    }

    private static String createBody(String id) {
        return "{\"requirement\":\"Build a REST API for user management\",\"start\":true,"
                + "\"options\":{\"workflowId\":\"" + id + "\"}}";
    }

    /** Whether a workflow the killed instance held is finished or held by a live instance under another name. */
    private boolean movedOn(String id, String killed) {
        return queryLong("SELECT count(*) FROM workflows WHERE workflow_id = '" + id + "' AND (terminal OR"
                        + " (owner <> '" + killed + "' AND lease_expires_at > now()))")
                == 1;
    }

    /** Unfinished workflows whose live lease the owner holds. */
    private Set<String> ownedBy(String owner) {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
            try (ResultSet rows =
                    statement.executeQuery("SELECT workflow_id FROM workflows WHERE NOT terminal AND owner = '" + owner
                            + "' AND lease_expires_at > now()")) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return ids;
    }

    /** What the store and the instances' logs say about a workflow that did not finish. */
    private String diagnosis(String id) {
        StringBuilder report = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
            try (ResultSet row = statement.executeQuery("SELECT state, terminal, last_sequence, coalesce(owner, '-'),"
                    + " coalesce((lease_expires_at > now())::text, '-'), lease_epoch FROM workflows WHERE workflow_id = '"
                    + id
                    + "'")) {
                if (row.next()) {
                    report.append("store: state ")
                            .append(row.getString(1))
                            .append(", terminal ")
                            .append(row.getBoolean(2))
                            .append(", last sequence ")
                            .append(row.getLong(3))
                            .append(", owner ")
                            .append(row.getString(4))
                            .append(", lease live ")
                            .append(row.getString(5))
                            .append(", epoch ")
                            .append(row.getLong(6))
                            .append('\n');
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT sequence, type FROM events WHERE workflow_id = '" + id
                    + "' ORDER BY sequence DESC LIMIT 8")) {
                report.append("last events:");
                while (rows.next()) {
                    report.append(' ').append(rows.getLong(1)).append(':').append(rows.getString(2));
                }
                report.append('\n');
            }
            report.append("live instances: ")
                    .append(String.join(", ", instanceIds))
                    .append('\n');
            Path kept = Path.of("target", "pgfailover-logs");
            Files.createDirectories(kept);
            try (Stream<Path> logs = Files.list(dir)) {
                for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log"))
                        .sorted()
                        .toList()) {
                    Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    Files.readAllLines(log).stream()
                            .filter(line -> line.contains(id))
                            .limit(20)
                            .forEach(line -> report.append(log.getFileName())
                                    .append(": ")
                                    .append(line)
                                    .append('\n'));
                }
            }
        } catch (SQLException | IOException e) {
            report.append("(diagnosis failed: ").append(e).append(')');
        }
        return report.toString();
    }

    private long queryLong(String sql) {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
            try (ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> witnessed() {
        try {
            Path witness = dir.resolve("witness");
            // A line is written whole by one call, before the engine call it records.
            return Files.exists(witness)
                    ? Files.readAllLines(witness).stream()
                            .filter(l -> l.split("\t").length == 5)
                            .toList()
                    : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode status(URI server, String id) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(server.resolve("api/v1/workflows/" + id))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? WorkflowJson.mapper().readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private List<JsonNode> events(URI server, String id) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.resolve("api/v1/workflows/" + id + "/events?limit=1000"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        WorkflowJson.mapper().readTree(response.body()).get("events").forEach(events::add);
        return events;
    }

    private int readyz(URI server) {
        try {
            return http.send(
                            HttpRequest.newBuilder(server.resolve("readyz"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> post(URI server, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.resolve("api/v1/workflows"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + BOUND + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Starts instance {@code i} (again) as a witnessed `serve` child JVM; returns its base URL once it prints it. */
    private URI serve(int i) throws IOException {
        starts++;
        instanceIds[i] = "instance-" + i + "-" + starts;
        ServeProcess serve = ServeProcess.start(
                instanceIds[i],
                WitnessedServe.class.getName(),
                List.of(
                        "serve",
                        "--port",
                        "0",
                        "--no-auth",
                        "--store",
                        "postgres",
                        "--store-url",
                        databaseUrl,
                        "--data-dir",
                        dir.resolve("instance-" + i).toString(),
                        "--instance-id",
                        instanceIds[i],
                        "--lease-ttl-ms",
                        String.valueOf(LEASE_TTL.toMillis()),
                        "--validate-with",
                        "true"),
                Map.of(
                        "VOLT_WORKFLOW_PG_USER",
                        USER,
                        "VOLT_WORKFLOW_PG_PASSWORD",
                        PASSWORD,
                        "VOLT_WORKFLOW_PG_SCHEMA",
                        schema,
                        "VOLT_TEST_WITNESS",
                        dir.resolve("witness").toString()),
                dir.resolve(instanceIds[i] + ".log"));
        processes[i] = serve.process();
        return serve.url();
    }
}
