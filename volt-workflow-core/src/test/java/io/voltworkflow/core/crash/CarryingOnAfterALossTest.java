package io.voltworkflow.core.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.StepHandler;
import io.voltworkflow.core.engine.StepInvocation;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.internal.store.RecordKind;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.StoreRecords;
import io.voltworkflow.core.store.file.FileStoreOptions;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow whose stored history lost an event in the middle carries on from its state before the loss, once: the
 * next start finds it where the carried-on run left it (completed), and runs none of its steps again.
 */
class CarryingOnAfterALossTest {
    private static final WorkflowId ID = WorkflowId.of("wf-loss");
    private static final List<String> STEPS = List.of("a", "b", "c", "d");

    @TempDir
    Path directory;

    private final VirtualTimeSource clock = new VirtualTimeSource();
    private final AtomicInteger executions = new AtomicInteger();

    @Test
    void aCompletedWorkflowThatCarriedOnAfterALostEventStaysCompletedOnEveryLaterStart() {
        try (WorkflowOrchestrator orchestrator = open()) {
            orchestrator.createWorkflow(new WorkflowDefinition(
                    "carry on after a loss",
                    null,
                    chain(),
                    WorkflowOptions.builder().workflowId(ID).build()));
            orchestrator.startWorkflow(ID);
            assertThat(orchestrator.awaitTermination(ID).join().state()).isEqualTo(WorkflowState.COMPLETED);
        }
        StoreRecords.Located middle = StoreRecords.records(directory).stream()
                .filter(record -> record.kind() == RecordKind.EVENT && record.sequence() == 6)
                .findFirst()
                .orElseThrow();
        StoreRecords.damageByte(middle.file(), middle.offset() + middle.length() / 2, 0x5a);

        long carriedOnTo;
        try (WorkflowOrchestrator orchestrator = open()) {
            WorkflowStatus carriedOn = orchestrator.awaitTermination(ID).join();
            assertThat(carriedOn.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(orchestrator.events(ID, 0, 1000))
                    .anySatisfy(record -> assertThat(record.event()).isInstanceOf(WorkflowEvent.HistoryLost.class));
            carriedOnTo = carriedOn.lastSequence();
        }
        int executionsBefore = executions.get();

        for (int restart = 0; restart < 2; restart++) {
            try (WorkflowOrchestrator orchestrator = open()) {
                WorkflowStatus reopened = orchestrator.getWorkflowStatus(ID);
                assertThat(reopened.state()).as("restart %d", restart).isEqualTo(WorkflowState.COMPLETED);
                assertThat(reopened.lastSequence()).isEqualTo(carriedOnTo);
                List<EventRecord> events = orchestrator.events(ID, carriedOnTo, 1000);
                assertThat(events).isEmpty();
            }
        }
        assertThat(executions.get())
                .as("steps run again after the loss was carried past")
                .isEqualTo(executionsBefore);
    }

    private WorkflowOrchestrator open() {
        StepHandler work = new StepHandler() {
            @Override
            public CompletionStage<JsonNode> execute(StepInvocation invocation, EngineContext context) {
                executions.incrementAndGet();
                return CompletableFuture.completedFuture(
                        WorkflowJson.mapper().createObjectNode().put("step", context.stepName()));
            }
        };
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new FileWorkflowStore(FileStoreOptions.builder(directory).build()))
                .engines(Engines.builder().customStep("work", work).build())
                .timeSource(clock)
                // No periodic snapshot during the test: only the recovery itself may record the carried-on state.
                .snapshotInterval(Duration.ofDays(1))
                .build());
    }

    private static List<StepDefinition> chain() {
        return List.of(
                StepDefinition.of(STEPS.get(0), StepType.of("work")),
                StepDefinition.of(STEPS.get(1), StepType.of("work"), STEPS.get(0)),
                StepDefinition.of(STEPS.get(2), StepType.of("work"), STEPS.get(1)),
                StepDefinition.of(STEPS.get(3), StepType.of("work"), STEPS.get(2)));
    }
}
