package io.voltworkflow.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A server instance in its own JVM, for the test that kills one: it creates and starts {@code count} workflows of
 * two steps on the PostgreSQL store, completes each first step, leaves each second step running for good, prints
 * {@code RUNNING <ids>} and waits to be killed. Arguments: schema, instance id, lease ttl in ms, count.
 */
public final class InstanceProcess {
    static final StepType WORK = StepType.of("work");

    private InstanceProcess() {}

    public static void main(String[] args) throws InterruptedException {
        String schema = args[0];
        String instanceId = args[1];
        Duration leaseTtl = Duration.ofMillis(Long.parseLong(args[2]));
        int count = Integer.parseInt(args[3]);
        Set<String> running = ConcurrentHashMap.newKeySet();
        CountDownLatch secondStepsRunning = new CountDownLatch(count);
        Engines engines = Engines.builder()
                .customStep("work", (invocation, context) -> {
                    if (context.stepName().startsWith("first-")) {
                        JsonNode output =
                                WorkflowJson.mapper().createObjectNode().put("step", context.stepName());
                        return CompletableFuture.completedFuture(output);
                    }
                    if (running.add(context.stepName())) {
                        secondStepsRunning.countDown();
                    }
                    return new CompletableFuture<>();
                })
                .build();
        WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(PostgresWorkflowStore.open(PostgresStoreOptions.builder(PostgresSchema.URL)
                        .user(PostgresSchema.USER)
                        .password(PostgresSchema.PASSWORD)
                        .schema(schema)
                        .maxPoolSize(2)
                        .build()))
                .engines(engines)
                .instanceId(instanceId)
                .leaseTtl(leaseTtl)
                .build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WorkflowId id = orchestrator.createWorkflow(definition(i)).workflowId();
            orchestrator.startWorkflow(id);
            ids.add(id.value());
        }
        secondStepsRunning.await();
        System.out.println("RUNNING " + String.join(" ", ids));
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Workflow {@code i}: {@code first-i}, then {@code second-i}. */
    static WorkflowDefinition definition(int i) {
        return new WorkflowDefinition(
                "takeover " + i,
                null,
                List.of(StepDefinition.of("first-" + i, WORK), StepDefinition.of("second-" + i, WORK, "first-" + i)),
                WorkflowOptions.DEFAULTS);
    }
}
