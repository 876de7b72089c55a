package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real PostgreSQL server stopped and started again (a cluster of the test's own, so the shared one is left alone)
 * while an instance runs a workflow: the instance notices the outage, gives up the workflow whose events it could
 * not store, notices the server is back, and takes the workflow over again from the store by itself; nothing is
 * lost, nothing is stored twice, and the step whose completion was not stored runs again with its key.
 */
class PostgresRestartTest {
    @RegisterExtension
    final PrivatePostgres server = new PrivatePostgres();

    private final GatedSteps steps = new GatedSteps();
    private final VirtualTimeSource clock = new VirtualTimeSource();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void anInstanceCarriesOnByItselfAfterTheDatabaseRestarted() throws Exception {
        PostgresWorkflowStore store = PostgresWorkflowStore.open(PostgresStoreOptions.builder(server.jdbcUrl())
                .user(PrivatePostgres.USER)
                .schema("restart")
                .connectTimeout(Duration.ofSeconds(2))
                .build());
        opened.add(store);
        WorkflowOrchestrator instance = GatedInstances.open("instance-a", steps, store, clock);
        opened.add(instance);
        WorkflowId id =
                instance.createWorkflow(GatedInstances.twoSteps("wf-restart")).workflowId();
        instance.startWorkflow(id);
        Await.until("the instance runs the first step", () -> steps.isRunning("first"));
        CompletableFuture<WorkflowStatus> firstRun = instance.awaitTermination(id);

        server.stop();
        Await.until(
                "the store reports the server down",
                () -> store.unavailability().isPresent());
        // The step finishes while the server is down: its completion cannot be stored, so the instance gives the
        // workflow up (the store's log stays the truth) rather than run on ahead of it.
        steps.complete("first");
        Await.until("the instance gave the workflow up", firstRun::isCompletedExceptionally);

        server.start();
        Await.until(
                "the store reports the server back",
                () -> store.unavailability().isEmpty());
        // Its lease could not be released while the server was down: it runs out (the test's clock, not the server's).
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), PrivatePostgres.USER, "")) {
            connection
                    .createStatement()
                    .execute("UPDATE restart.workflows SET lease_expires_at = now() - interval '1 s'");
        }
        clock.advance(GatedInstances.LEASE_TTL.dividedBy(3));
        Await.until(
                "the instance takes the workflow over again and re-issues the step", () -> steps.isRunning("first"));
        steps.complete("first");
        Await.until("the second step runs", () -> steps.isRunning("second"));
        steps.complete("second");
        assertThat(instance.awaitTermination(id))
                .succeedsWithin(Duration.ofSeconds(30))
                .extracting(WorkflowStatus::state)
                .isEqualTo(WorkflowState.COMPLETED);

        Await.until(
                "the completion is stored",
                () -> instance.events(id, 0, 1000).stream()
                        .anyMatch(e -> e.event() instanceof WorkflowEvent.WorkflowCompleted));
        List<EventRecord> events = instance.events(id, 0, 1000);
        assertThat(events)
                .extracting(EventRecord::sequence)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events)
                .filteredOn(e -> e.event() instanceof WorkflowEvent.StepCompleted)
                .extracting(e -> ((WorkflowEvent.StepCompleted) e.event()).step())
                .containsExactly("first", "second");
        assertThat(steps.invocations())
                .extracting(GatedSteps.Invocation::step)
                .containsExactly("first", "first", "second");
        assertThat(steps.invocations().get(1).idempotencyKey())
                .isEqualTo(steps.invocations().get(0).idempotencyKey());
    }
}
