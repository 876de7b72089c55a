package io.voltworkflow.ui.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.voltworkflow.ui.UiAssets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny stand-in for the Volt Workflow server on loopback: serves the real UI assets from {@link UiAssets}, host
 * pages that embed the live view in server or Jenkins mode, and the REST endpoints the UI calls, from
 * {@link FakeWorkflow} fixtures. Every page is served with a strict Content-Security-Policy (no inline script or
 * style), like Jenkins, so a violation shows up in the browser's console.
 */
final class FakeVoltApi implements AutoCloseable {

    static final String JENKINS_CRUMB_HEADER = "Jenkins-Crumb";
    static final String JENKINS_CRUMB = "crumb-4c1d";

    private static final Pattern WORKFLOW_PATH =
            Pattern.compile("/api/v1/workflows/([^/]+)(?:/(events|start|pause|resume|cancel))?");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, FakeWorkflow> workflows = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final int streamPort;
    private ObjectNode analytics = FakeWorkflow.JSON.createObjectNode();
    private int created;

    /** @param streamPort the loopback port of the WebSocket stream server, allowed by the pages' CSP */
    FakeVoltApi(int streamPort) throws IOException {
        this.streamPort = streamPort;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized FakeWorkflow add(FakeWorkflow workflow) {
        workflows.put(workflow.id(), workflow);
        return workflow;
    }

    synchronized int workflowCount() {
        return workflows.size();
    }

    synchronized void analytics(ObjectNode value) {
        analytics = value;
    }

    /** Changes a workflow under the API's lock, as the engine would while the page watches. */
    synchronized <T> T update(String workflowId, Function<FakeWorkflow, T> change) {
        return change.apply(workflows.get(workflowId));
    }

    /** The URL of a page that embeds the live view of one workflow, in "server" or "jenkins" mode. */
    String hostPageUrl(String workflowId, String mode) {
        return baseUrl() + "/host/view.html?id=" + workflowId + "&mode=" + mode;
    }

    /** Waits until the page has sent a request matching the condition, and returns it. */
    synchronized RecordedRequest awaitRequest(
            String description, Predicate<RecordedRequest> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<RecordedRequest> match =
                    requests.stream().filter(condition).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AssertionError(
                        "the page sent no " + description + " within " + timeout + "; it sent " + requests);
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
    }

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            RecordedRequest request = new RecordedRequest(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(headers),
                    body);
            Response response;
            synchronized (this) {
                requests.add(request);
                notifyAll();
                response = route(request);
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders()
                    .set(
                            "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; "
                                    + "img-src 'self'; connect-src 'self' ws://127.0.0.1:" + streamPort
                                    + "; base-uri 'none'; form-action 'self'");
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // written to the socket once, never compared
    private record Response(int status, String contentType, byte[] body) {
        static Response json(int status, JsonNode node) {
            return new Response(status, "application/json", node.toString().getBytes(StandardCharsets.UTF_8));
        }

        static Response html(String html) {
            return new Response(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }

        static Response error(int status, String code, String message, String field) {
            ObjectNode node = FakeWorkflow.JSON.createObjectNode();
            node.putObject("error").put("code", code).put("message", message).put("field", field);
            return json(status, node);
        }
    }

    private Response route(RecordedRequest request) {
        String path = request.path();
        if (path.startsWith("/api/v1/")) {
            return api(request);
        }
        if (path.equals("/host/view.html")) {
            Map<String, String> query = QueryString.parse(request.query());
            return Response.html(hostPage(query.get("id"), query.get("mode")));
        }
        String name = path.equals("/") ? UiAssets.INDEX : path.substring(1);
        return UiAssets.find(name)
                .map(asset -> new Response(200, asset.contentType(), asset.bytes()))
                .orElseGet(() -> new Response(404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8)));
    }

    private Response api(RecordedRequest request) {
        String path = request.path();
        boolean get = request.method().equals("GET");
        if (path.equals("/api/v1/analytics") && get) {
            return Response.json(200, analytics);
        }
        if (path.equals("/api/v1/workflows")) {
            return get ? list(QueryString.parse(request.query()).get("state")) : create(request.body());
        }
        Matcher matcher = WORKFLOW_PATH.matcher(path);
        if (!matcher.matches() || !workflows.containsKey(matcher.group(1))) {
            return Response.error(404, "NOT_FOUND", "no such workflow or endpoint: " + path, null);
        }
        FakeWorkflow workflow = workflows.get(matcher.group(1));
        String sub = matcher.group(2);
        if (sub == null && get) {
            return Response.json(200, workflow.status());
        }
        if ("events".equals(sub) && get) {
            long after = Long.parseLong(QueryString.parse(request.query()).getOrDefault("after", "0"));
            ObjectNode page = FakeWorkflow.JSON.createObjectNode();
            workflow.eventsAfter(after).forEach(page.putArray("events")::add);
            if (!page.has("events")) {
                page.putArray("events");
            }
            page.put("lastSequence", workflow.lastSequence());
            return Response.json(200, page);
        }
        if (sub != null && request.method().equals("POST")) {
            return lifecycle(workflow, sub);
        }
        return Response.error(405, "METHOD_NOT_ALLOWED", request.method() + " " + path, null);
    }

    private Response list(String state) {
        ObjectNode answer = FakeWorkflow.JSON.createObjectNode();
        var array = answer.putArray("workflows");
        workflows.values().stream()
                .filter(workflow -> state == null || workflow.state().equals(state))
                .forEach(workflow -> array.add(workflow.status()));
        return Response.json(200, answer);
    }

    private Response create(String body) {
        JsonNode request;
        try {
            request = FakeWorkflow.JSON.readTree(body);
        } catch (IOException e) {
            return Response.error(400, "INVALID_JSON", "the body is not JSON", null);
        }
        String requirement = request.path("requirement").asText("");
        if (requirement.isBlank()) {
            return Response.error(400, "INVALID_REQUEST", "must not be blank", "requirement");
        }
        for (var entry : request.path("projectContext").properties()) {
            if (!entry.getValue().isTextual()) {
                return Response.error(400, "INVALID_REQUEST", "must be a string", "projectContext." + entry.getKey());
            }
        }
        boolean start = request.path("start").asBoolean(false);
        FakeWorkflow workflow = FakeWorkflow.pipeline(
                "wf-new-" + ++created,
                requirement,
                Instant.now(),
                2,
                false,
                step -> start && step.equals("Requirement Analysis") ? "running" : "pending");
        request.path("projectContext")
                .properties()
                .forEach(entry ->
                        workflow.context(entry.getKey(), entry.getValue().asText()));
        workflow.state(start ? "running" : "initialized").seedHistory();
        workflows.put(workflow.id(), workflow);
        return Response.json(201, workflow.status());
    }

    private Response lifecycle(FakeWorkflow workflow, String action) {
        String from = workflow.state();
        String to =
                switch (action) {
                    case "start" -> from.equals("created") || from.equals("initialized") ? "running" : null;
                    case "pause" -> from.equals("running") ? "paused" : null;
                    case "resume" -> from.equals("paused") || from.equals("failed") ? "running" : null;
                    case "cancel" ->
                        from.equals("completed") || from.equals("failed") || from.equals("cancelled")
                                ? null
                                : "cancelled";
                    default -> throw new IllegalArgumentException(action);
                };
        if (to == null) {
            return Response.error(409, "INVALID_STATE", "cannot " + action + " a " + from + " workflow", null);
        }
        workflow.state(to);
        workflow.appendEvent(
                "workflow_" + (action.equals("start") ? "started" : to.equals("running") ? "resumed" : to),
                null,
                FakeWorkflow.JSON.createObjectNode(),
                Instant.now());
        return Response.json(200, workflow.status());
    }

    private String hostPage(String workflowId, String mode) {
        String api = "/api/v1/workflows/" + workflowId;
        boolean jenkins = "jenkins".equals(mode);
        String head = jenkins
                ? " data-crumb-header=\"" + JENKINS_CRUMB_HEADER + "\" data-crumb-value=\"" + JENKINS_CRUMB + "\""
                : "";
        String stream = jenkins ? "" : " data-stream-url=\"ws://127.0.0.1:" + streamPort + api + "/stream\"";
        return """
                <!doctype html>
                <html lang="en">
                <head%s>
                  <meta charset="utf-8">
                  <title>Workflow %s</title>
                  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
                  <link rel="stylesheet" href="/workflow-view.css">
                  <script type="module" src="/workflow-page.js"></script>
                </head>
                <body>
                  <div id="view" data-volt-workflow-view data-mode="%s" data-status-url="%s" data-events-url="%s/events"
                       data-action-url="%s"%s></div>
                </body>
                </html>
                """.formatted(head, workflowId, jenkins ? "jenkins" : "server", api, api, api, stream);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
