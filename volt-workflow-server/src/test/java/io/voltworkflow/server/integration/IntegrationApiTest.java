package io.voltworkflow.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.CicdServer;
import io.voltworkflow.server.ServerOptions;
import io.voltworkflow.server.VoltAgentWorkflowIntegration;
import io.voltworkflow.server.VoltAgentWorkflowIntegration.StartedWorkflow;
import io.voltworkflow.server.VoltAgentWorkflowIntegration.StatusWithUpdates;
import io.voltworkflow.server.VoltWorkflow;
import io.voltworkflow.server.WorkflowMonitor;
import io.voltworkflow.server.testing.OpenApiCheckedHttpClient;
import io.voltworkflow.server.testing.TestEngines;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class IntegrationApiTest {
    private final TestEngines engines = new TestEngines(2);

    @Test
    void createAndStartMonitorsAndStatusWithUpdatesContinuesExactlyAfterTheStatus() throws Exception {
        List<EventRecord> monitored = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<EventRecord> updates = new LinkedBlockingQueue<>();
        CompletableFuture<Void> gate = engines.closeGate();
        try (VoltAgentWorkflowIntegration integration = VoltAgentWorkflowIntegration.open(options())) {
            WorkflowMonitor monitor = new WorkflowMonitor(integration.orchestrator(), monitored::add);
            try (VoltAgentWorkflowIntegration withMonitor =
                    new VoltAgentWorkflowIntegration(integration.orchestrator(), monitor)) {
                StartedWorkflow started = withMonitor.createAndStartWorkflow(
                        "Build a REST API for user management", Map.of("language", "Java"));
                StatusWithUpdates status = withMonitor.getWorkflowStatusWithUpdates(started.workflowId(), updates::add);
                gate.complete(null);

                WorkflowStatus done = integration
                        .orchestrator()
                        .awaitTermination(started.workflowId())
                        .get(30, TimeUnit.SECONDS);
                long expected = status.status().lastSequence() + 1;
                EventRecord update;
                do {
                    update = updates.poll(30, TimeUnit.SECONDS);
                    assertThat(update).isNotNull();
                    assertThat(update.sequence()).isEqualTo(expected++);
                } while (update.sequence() < done.lastSequence());
                assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
                assertThat(monitor.monitoredWorkflows()).containsExactly(started.workflowId());
                assertThat(monitor.getWorkflowMetrics(started.workflowId()).completedSteps())
                        .isEqualTo(done.steps().size());

                started.stopMonitoring().stop();
                status.unsubscribe().stop();
                assertThat(monitor.monitoredWorkflows()).isEmpty();
                assertThat(monitored).extracting(EventRecord::sequence).startsWith(1L, 2L);
                assertThat(withMonitor.createWorkflowTools()).hasSize(8);
            }
        }
    }

    @Test
    void createCicdServerServesAndClosesItsOrchestrator() throws Exception {
        try (CicdServer server =
                VoltWorkflow.createCICDServer(ServerOptions.builder().port(0).build(), options())) {
            HttpResponse<String> response = OpenApiCheckedHttpClient.create()
                    .send(
                            HttpRequest.newBuilder(server.url().resolve("api/v1/analytics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
        }
    }

    @Test
    void monitorDeliversEveryEventOfAMonitoredWorkflowFromTheStart() throws Exception {
        LinkedBlockingQueue<EventRecord> seen = new LinkedBlockingQueue<>();
        try (var orchestrator = VoltWorkflow.createWorkflowOrchestrator(options());
                WorkflowMonitor monitor = new WorkflowMonitor(orchestrator, seen::add)) {
            var id = orchestrator
                    .createWorkflow("monitored", Map.of(), io.voltworkflow.core.model.WorkflowOptions.DEFAULTS)
                    .workflowId();
            monitor.startMonitoring(id);
            orchestrator.startWorkflow(id);
            long last =
                    orchestrator.awaitTermination(id).get(30, TimeUnit.SECONDS).lastSequence();
            List<Long> sequences = new java.util.ArrayList<>();
            while (sequences.size() < last) {
                EventRecord event = seen.poll(30, TimeUnit.SECONDS);
                assertThat(event).as("event after " + sequences + " of " + last).isNotNull();
                sequences.add(event.sequence());
            }
            assertThat(sequences)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, last).boxed().toList());
            assertThat(seen).isEmpty();
            assertThat(sequences).hasSizeGreaterThan(5);
        }
    }

    private OrchestratorOptions options() {
        return OrchestratorOptions.builder().engines(engines.engines()).build();
    }
}
