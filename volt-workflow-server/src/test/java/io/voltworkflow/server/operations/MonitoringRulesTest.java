package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.testing.OpenApiCheckedHttpClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped monitoring files (docs/monitoring/) against the real thing: every alert rule is unit-tested with
 * {@code promtool test rules} and fires in some test; the dashboard's queries are valid PromQL; and every metric and
 * label value the dashboard and the rules select is served on {@code /metrics} by a real {@code volt serve} after it
 * ran workflows, so neither can drift from the code.
 */
class MonitoringRulesTest {
    private static final Path MONITORING =
            Path.of(System.getProperty("user.dir")).getParent().resolve("docs/monitoring");
    private static final Path RULES = MONITORING.resolve("volt-workflow-alerts.yml");
    private static final Path RULE_TESTS = MONITORING.resolve("volt-workflow-alerts.test.yml");
    private static final Path DASHBOARD = MONITORING.resolve("volt-workflow-dashboard.json");
    /** A metric selector: name and optional label matchers. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(volt_[a-zA-Z0-9_]+)(\\{([^}]*)})?");

    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
    private static final Pattern SAMPLE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Labels Prometheus adds when it scrapes: never on /metrics. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    @TempDir
    Path dir;

    @Test
    void promtoolChecksTheRulesAndEveryRuleFiresInItsTests() throws Exception {
        Path promtool = promtool();
        Finished check = run(promtool.toString(), "check", "rules", RULES.toString());
        assertThat(check.code()).as(check.output()).isZero();
        Finished test = run(promtool.toString(), "test", "rules", RULE_TESTS.toString());
        assertThat(test.code()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");

        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode group : yaml(RULE_TESTS).get("tests")) {
            for (JsonNode expectation : group.path("alert_rule_test")) {
                (expectation.path("exp_alerts").isEmpty() ? quiet : fired)
                        .add(expectation.get("alertname").asText());
            }
        }
        Set<String> alerts = new TreeSet<>(alertExpressions().keySet());
        assertThat(fired)
                .as("alerts shown firing in " + RULE_TESTS.getFileName())
                .isEqualTo(alerts);
        assertThat(quiet)
                .as("alerts shown quiet in " + RULE_TESTS.getFileName())
                .isEqualTo(alerts);
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        Path promtool = promtool();
        // promtool checks PromQL in rule files only: the queries become recording rules, Grafana's variables values.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> queries = dashboardQueries();
        for (int i = 0; i < queries.size(); i++) {
            String expr = queries.get(i)
                    .replace("$__rate_interval", "5m")
                    .replace("$__range", "6h")
                    .replace("$instance", ".*");
            rules.append("      - record: dashboard:query")
                    .append(i)
                    .append("\n        expr: ")
                    .append(WorkflowJson.mapper().writeValueAsString(expr))
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);
        Finished check = run(promtool.toString(), "check", "rules", file.toString());
        assertThat(check.code()).as(check.output() + "\n" + rules).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void everyMetricTheDashboardAndTheRulesSelectIsServed() throws Exception {
        Map<String, List<String>> sources = new TreeMap<>();
        alertExpressions().forEach((alert, expr) -> sources.put("alert " + alert, List.of(expr)));
        sources.put("dashboard", dashboardQueries());

        String metrics = scrapeAfterWorkflows();
        Map<String, List<Map<String, String>>> served = parseSamples(metrics);

        List<String> problems = new ArrayList<>();
        Set<String> selected = new LinkedHashSet<>();
        sources.forEach((source, expressions) -> {
            for (String expr : expressions) {
                Matcher selector = SELECTOR.matcher(expr);
                while (selector.find()) {
                    String name = selector.group(1);
                    selected.add(name);
                    List<Map<String, String>> samples = served.get(name);
                    if (samples == null) {
                        problems.add(source + ": " + name + " is not served");
                        continue;
                    }
                    Matcher matcher = MATCHER.matcher(selector.group(3) == null ? "" : selector.group(3));
                    while (matcher.find()) {
                        String label = matcher.group(1);
                        if (TARGET_LABELS.contains(label)) {
                            continue;
                        }
                        boolean exact = matcher.group(2).equals("=");
                        String value = matcher.group(3);
                        if (samples.stream()
                                .noneMatch(s -> s.containsKey(label)
                                        && (!exact || s.get(label).equals(value)))) {
                            problems.add(source + ": no " + name + " sample has " + label + matcher.group(2) + "\""
                                    + value + "\"");
                        }
                    }
                }
            }
        });
        assertThat(problems).as("served metrics:\n" + metrics).isEmpty();
        assertThat(selected)
                .as("the dashboard and rules select the metrics they are about")
                .contains(
                        "volt_workflows_finished_total",
                        "volt_step_duration_seconds_bucket",
                        "volt_step_attempts_total",
                        "volt_step_retries_total",
                        "volt_dispatch_queue_depth",
                        "volt_engine_cost_usd_total",
                        "volt_running_workflow_idle_max_seconds",
                        "volt_store_up",
                        "volt_store_append_failures_total",
                        "volt_workflow_budget_used_max_ratio");
    }

    /** {@code /metrics} of a real {@code volt serve} (built-in engines) once a workflow has run to completion. */
    private String scrapeAfterWorkflows() throws Exception {
        ServeProcess serve = ServeProcess.start(
                "monitoring",
                "io.voltworkflow.server.cli.Main",
                List.of(
                        "serve",
                        "--port",
                        "0",
                        "--no-auth",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--validate-with",
                        "true"),
                Map.of());
        try {
            HttpClient http = OpenApiCheckedHttpClient.create();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(serve.url().resolve("api/v1/workflows"))
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"requirement\":\"Users can sign up. Users can reset their "
                                                    + "password.\",\"start\":true,\"options\":{\"workflowId\":\"wf-scraped\"}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            URI status = serve.url().resolve("api/v1/workflows/wf-scraped");
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () -> WorkflowJson.mapper()
                                    .readTree(http.send(
                                                    HttpRequest.newBuilder(status)
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .body())
                                    .path("state")
                                    .asText(),
                            "completed"::equals);
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(serve.url().resolve("metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            return metrics.body();
        } finally {
            serve.process().destroy();
            serve.process().waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** Samples by name, each sample's labels. */
    private static Map<String, List<Map<String, String>>> parseSamples(String exposition) {
        Map<String, List<Map<String, String>>> samples = new HashMap<>();
        for (String line : exposition.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0 && brace < space) {
                Matcher label = SAMPLE_LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.computeIfAbsent(name, n -> new ArrayList<>()).add(labels);
        }
        return samples;
    }

    private static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> alerts = new TreeMap<>();
        for (JsonNode group : yaml(RULES).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                alerts.put(rule.get("alert").asText(), rule.get("expr").asText());
            }
        }
        assertThat(alerts).isNotEmpty();
        return alerts;
    }

    private static List<String> dashboardQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        WorkflowJson.mapper().readTree(DASHBOARD.toFile()).findValues("expr").forEach(e -> queries.add(e.asText()));
        assertThat(queries).isNotEmpty();
        return queries;
    }

    private static JsonNode yaml(Path file) throws IOException {
        return new YAMLMapper().readTree(file.toFile());
    }

    private static Path promtool() {
        Optional<Path> promtool = Stream.of(
                        System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
        Assumptions.assumeTrue(
                promtool.isPresent(),
                "promtool is not on the PATH (Debian package prometheus; .ci/run "
                        + "installs it): the monitoring files are not checked with it");
        return promtool.get();
    }

    private record Finished(int code, String output) {}

    private static Finished run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();
        return new Finished(process.exitValue(), output);
    }
}
