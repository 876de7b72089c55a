package io.voltworkflow.bench.events;

import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.server.CicdServer;
import io.voltworkflow.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Events delivered to 100 WebSocket clients of the server (10 workflows, 10 clients on each one's stream, JDK
 * clients on loopback) while the workflows run, each client checking that sequences arrive without gap or repeat.
 * Baseline: a bare Jetty WebSocket server sending the same frames to the same number of clients.
 */
public final class WebSocketEventsScenario implements Scenario {
    private static final int WORKFLOWS = 10;
    private static final int CLIENTS_PER_WORKFLOW = 10;
    private static final double TARGET_PER_SECOND = 20_000;

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public String summary() {
        return "events/s delivered to 100 WebSocket clients of the server, and lost events, vs a bare Jetty server";
    }

    /** The work grows with the workflows' length, and a workflow has at most 10,000 steps. */
    @Override
    public int maxScale() {
        return 10;
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        Dag chain = Dags.chain(settings.pick(500, 20) * settings.scale(), Duration.ZERO);
        HttpClient http = HttpClient.newHttpClient();
        List<List<String>> framesByWorkflow = new ArrayList<>();
        List<StreamClient> clients = new ArrayList<>();
        long started;
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
                        VoltDags.options(VoltDags.engines()).build());
                CicdServer server = CicdServer.start(
                        orchestrator, ServerOptions.builder().port(0).build(), false)) {
            List<WorkflowId> ids = new ArrayList<>();
            for (int i = 0; i < WORKFLOWS; i++) {
                WorkflowId id = orchestrator
                        .createWorkflow(VoltDags.definition(chain, WorkflowOptions.DEFAULTS))
                        .workflowId();
                ids.add(id);
                for (int c = 0; c < CLIENTS_PER_WORKFLOW; c++) {
                    clients.add(StreamClient.connect(
                            http,
                            URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/workflows/" + id.value()
                                    + "/stream?after=0")));
                }
            }
            started = System.nanoTime();
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (WorkflowId id : ids) {
                orchestrator.startWorkflow(id);
                done.add(orchestrator.awaitTermination(id));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            for (WorkflowId id : ids) {
                framesByWorkflow.add(InProcessEventsScenario.storedEvents(orchestrator, id).stream()
                        .map(WorkflowJson::write)
                        .toList());
            }
            awaitAll(clients, framesByWorkflow);
            closeAll(clients);
        }
        Delivery ours = Delivery.of(clients, framesByWorkflow, started);
        Delivery baseline = bareJetty(http, framesByWorkflow);
        String note = WORKFLOWS + " workflows of " + chain.size() + " no-op steps, " + CLIENTS_PER_WORKFLOW
                + " clients each; ours is bounded by how fast the workflows produce events";
        return List.of(
                new Figure(
                        name(),
                        settings.scale(),
                        "deliveries/s to " + clients.size() + " WebSocket clients",
                        "events/s",
                        baseline.perSecond(),
                        ours.perSecond(),
                        "≥ 20,000/s",
                        Figure.verdict(ours.perSecond() >= TARGET_PER_SECOND),
                        note),
                new Figure(
                        name(),
                        settings.scale(),
                        "lost or out-of-order events (WebSocket)",
                        "events",
                        baseline.lost(),
                        ours.lost(),
                        "0",
                        Figure.verdict(ours.lost() == 0),
                        "expected " + ours.expected() + " deliveries"));
    }

    private static Delivery bareJetty(HttpClient http, List<List<String>> framesByWorkflow) throws Exception {
        List<StreamClient> clients = new ArrayList<>();
        try (BroadcastServer server = new BroadcastServer(framesByWorkflow)) {
            for (int i = 0; i < WORKFLOWS; i++) {
                for (int c = 0; c < CLIENTS_PER_WORKFLOW; c++) {
                    clients.add(StreamClient.connect(http, URI.create(server.url(i))));
                }
            }
            long started = System.nanoTime();
            server.sendAll();
            awaitAll(clients, framesByWorkflow);
            closeAll(clients);
            return Delivery.of(clients, framesByWorkflow, started);
        }
    }

    /** Waits until every client has its workflow's frames, or deliveries stop for 5 seconds. */
    private static void awaitAll(List<StreamClient> clients, List<List<String>> framesByWorkflow)
            throws InterruptedException {
        long lastTotal = -1;
        long lastChange = System.nanoTime();
        while (true) {
            boolean complete = true;
            long total = 0;
            for (int i = 0; i < clients.size(); i++) {
                total += clients.get(i).delivered();
                complete &= clients.get(i).delivered()
                        >= framesByWorkflow.get(i / CLIENTS_PER_WORKFLOW).size();
            }
            if (complete) {
                return;
            }
            if (total != lastTotal) {
                lastTotal = total;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > Duration.ofSeconds(5).toNanos()) {
                return;
            }
            Thread.sleep(2);
        }
    }

    private static void closeAll(List<StreamClient> clients) throws Exception {
        CompletableFuture.allOf(clients.stream().map(StreamClient::close).toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
    }

    private record Delivery(long expected, long delivered, long lost, double perSecond) {
        static Delivery of(List<StreamClient> clients, List<List<String>> framesByWorkflow, long startedNanos) {
            long expected = 0;
            long delivered = 0;
            long outOfOrder = 0;
            long last = startedNanos;
            for (int i = 0; i < clients.size(); i++) {
                StreamClient client = clients.get(i);
                expected += framesByWorkflow.get(i / CLIENTS_PER_WORKFLOW).size();
                delivered += client.delivered();
                outOfOrder += client.outOfOrder();
                last = Math.max(last, client.lastDeliveryNanos());
            }
            double seconds = (last - startedNanos) / 1e9;
            return new Delivery(
                    expected, delivered, Math.max(0, expected - delivered) + outOfOrder, delivered / seconds);
        }
    }
}
