package io.voltworkflow.store.postgres;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.List;

/**
 * Orchestrator instances for the multi-instance tests: their "work" steps wait until the test finishes them, and
 * their timers run on virtual clocks the test advances, so every lease renewal and orphan scan is the test's.
 */
final class GatedInstances {
    static final Duration LEASE_TTL = Duration.ofMinutes(5);

    private GatedInstances() {}

    /** Two steps, the second after the first. */
    static WorkflowDefinition twoSteps(String workflowId) {
        return new WorkflowDefinition(
                "two steps",
                null,
                List.of(
                        StepDefinition.of("first", InstanceProcess.WORK),
                        StepDefinition.of("second", InstanceProcess.WORK, "first")),
                WorkflowOptions.builder().workflowId(WorkflowId.of(workflowId)).build());
    }

    static WorkflowOrchestrator open(
            String instanceId, GatedSteps steps, WorkflowStore store, VirtualTimeSource clock) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(Engines.builder().customStep("work", steps).build())
                .instanceId(instanceId)
                .leaseTtl(LEASE_TTL)
                .timeSource(clock)
                .build());
    }
}
