package io.voltworkflow.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.server.CicdServer;
import io.voltworkflow.server.ServerOptions;
import io.voltworkflow.server.testing.OpenApiCheckedHttpClient;
import io.voltworkflow.server.testing.TestEngines;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the server while a step runs checkpoints the workflow in the file store; a new server on the same store
 * re-issues the step with the same idempotency key and finishes the workflow.
 */
class GracefulShutdownTest {
    @TempDir
    Path store;

    @Test
    void aStepRunningAtShutdownIsReissuedWithItsKeyAfterRestart() throws Exception {
        TestEngines held = new TestEngines(1);
        CompletableFuture<Void> gate = held.closeGate();
        WorkflowId id;
        String keyBefore;
        try (CicdServer server = CicdServer.start(open(held), options(), true)) {
            HttpResponse<String> created = OpenApiCheckedHttpClient.create()
                    .send(
                            HttpRequest.newBuilder(server.url().resolve("api/v1/workflows"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"requirement\":\"survives a restart\",\"start\":true,"
                                                    + "\"options\":{\"workflowId\":\"wf-restart\"}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            id = WorkflowId.of("wf-restart");
            keyBefore = awaitRunningValidation(server.orchestrator(), id).idempotencyKey();
        }
        gate.complete(null);

        try (CicdServer restarted = CicdServer.start(open(new TestEngines(1)), options(), true)) {
            WorkflowStatus done = restarted.orchestrator().awaitTermination(id).get(60, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            StepStatus validation = done.steps().stream()
                    .filter(s -> s.type().equals("validation"))
                    .findFirst()
                    .orElseThrow();
            assertThat(validation.idempotencyKey()).isEqualTo(keyBefore);
            assertThat(done.steps()).allSatisfy(s -> assertThat(s.state()).isEqualTo(StepState.COMPLETED));
        }
    }

    private WorkflowOrchestrator open(TestEngines engines) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .engines(engines.engines())
                .store(new FileWorkflowStore(store))
                .build());
    }

    private static ServerOptions options() {
        return ServerOptions.builder()
                .port(0)
                .shutdownTimeout(Duration.ofMillis(200))
                .build();
    }

    /** Waits (by following the workflow's events) until its validation step runs. */
    private static StepStatus awaitRunningValidation(WorkflowOrchestrator orchestrator, WorkflowId id)
            throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        try (var subscription = orchestrator.subscribe(id, 0, event -> {
            if (event.type() == io.voltworkflow.core.event.EventType.STEP_STARTED
                    && event.event().step().startsWith("Validate")) {
                started.complete(null);
            }
        })) {
            started.get(60, TimeUnit.SECONDS);
        }
        return orchestrator.getWorkflowStatus(id).steps().stream()
                .filter(s -> s.type().equals("validation") && s.state() == StepState.RUNNING)
                .findFirst()
                .orElseThrow();
    }
}
