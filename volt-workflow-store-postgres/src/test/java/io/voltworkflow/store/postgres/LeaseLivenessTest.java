package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every unfinished workflow is run by some instance in the end, whatever fails while an instance takes it over.
 * The instances' timers run on virtual clocks: each lease renewal and orphan scan is one the test triggers.
 */
class LeaseLivenessTest {
    private static final Duration SCAN = GatedInstances.LEASE_TTL.dividedBy(3);
    private static final WorkflowDefinition TWO_STEPS = GatedInstances.twoSteps("wf-liveness");

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    private final GatedSteps stepsOfA = new GatedSteps();
    private final GatedSteps stepsOfB = new GatedSteps();
    private final VirtualTimeSource clockOfA = new VirtualTimeSource();

    /**
     * An instance adopting an orphan takes its lease, then reads it. When the database goes away between the two,
     * the adoption fails; the lease must not stay with it, or the instance renews a lease no copy runs under and
     * no instance ever runs the workflow again (its orphan scans skip a live lease).
     */
    @Test
    void anAdoptionCutShortAfterTakingTheLeaseLetsItGoAndTheNextScanAdoptsTheWorkflow() throws IOException {
        URI target = URI.create(PostgresSchema.URL.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort()).start()) {
            PostgresWorkflowStore viaProxy = db.track(PostgresWorkflowStore.open(
                    PostgresStoreOptions.builder("jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getRawPath())
                            .user(PostgresSchema.USER)
                            .password(PostgresSchema.PASSWORD)
                            .schema(db.name())
                            .connectTimeout(Duration.ofSeconds(1))
                            .build()));
            AtomicBoolean cutNextRead = new AtomicBoolean(true);
            WorkflowStore cutDuringAdoption = new ForwardingStore(viaProxy) {
                @Override
                public void replay(WorkflowId workflowId, ReplayVisitor visitor) {
                    if (!cutNextRead.getAndSet(false)) {
                        store.replay(workflowId, visitor);
                        return;
                    }
                    try {
                        proxy.stop();
                        try {
                            store.replay(workflowId, visitor);
                        } finally {
                            proxy.start();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            WorkflowOrchestrator a = open("instance-a", stepsOfA, cutDuringAdoption, clockOfA);
            WorkflowId id = diesRunningTheFirstStep();

            clockOfA.advance(SCAN);
            assertThat(cutNextRead).as("A tried to adopt the orphan").isFalse();
            assertThat(stepsOfA.invocations()).isEmpty();
            String lease = "SELECT coalesce(owner, '-') || ' ' || coalesce(lease_expires_at::text, '-') FROM workflows";
            List<String> afterTheFailure = db.query(lease);

            clockOfA.advance(SCAN);
            if (!afterTheFailure.equals(List.of("- -"))) {
                // A let the lease go but the server did not hear it (its connections were still being replaced): the
                // lease
                // must run out, so A must not renew it.
                assertThat(db.query(lease))
                        .as("the lease A let go of, at A's next renewal")
                        .isEqualTo(afterTheFailure);
                expireLeases();
                clockOfA.advance(SCAN);
            }
            Await.until("A re-issues the step B had running", () -> stepsOfA.isRunning("first"));
            finishes(a, id);
        }
    }

    /**
     * A refused write takes the copy that wrote it out of its instance. When the refusal arrives after the instance
     * has already let go of that copy (its lease lapsed) and adopted the workflow afresh, the new copy runs under a
     * lease of its own: the late failure must neither stop it nor release its lease.
     */
    @Test
    void aRefusalArrivingAfterTheWorkflowWasAdoptedAgainLeavesTheNewCopyRunning() {
        CompletableFuture<Void> deliverRefusals = new CompletableFuture<>();
        WorkflowStore lateRefusals = new ForwardingStore(
                db.track(PostgresWorkflowStore.open(db.options().build()))) {
            @Override
            public CompletableFuture<Void> append(List<EventRecord> records) {
                return store.append(records)
                        .exceptionallyCompose(
                                refused -> deliverRefusals.thenCompose(go -> CompletableFuture.failedFuture(refused)));
            }
        };
        WorkflowOrchestrator a = open("instance-a", stepsOfA, lateRefusals, clockOfA);
        WorkflowId id = a.createWorkflow(TWO_STEPS).workflowId();
        a.startWorkflow(id);
        Await.until("A runs the first step", () -> stepsOfA.isRunning("first"));

        // A stalls past its lease: its completion of the first step is refused, and the refusal is late.
        expireLeases();
        stepsOfA.complete("first");
        // Its next scan finds the lease lost, lets go of the copy and adopts the workflow again from the store.
        clockOfA.advance(SCAN);
        Await.until(
                "A re-issues the first step under its new lease",
                () -> stepsOfA.invocations().size() == 2);
        assertThat(db.query("SELECT owner FROM workflows")).containsExactly("instance-a");

        deliverRefusals.complete(null);
        stepsOfA.complete("first");
        Await.until("the adopted copy runs the second step", () -> stepsOfA.isRunning("second"));
        finishes(a, id);
    }

    /** B creates the workflow, starts its first step and dies; its lease is left to expire. */
    private WorkflowId diesRunningTheFirstStep() {
        WorkflowOrchestrator b = open(
                "instance-b",
                stepsOfB,
                db.track(PostgresWorkflowStore.open(db.options().build())),
                new VirtualTimeSource());
        WorkflowId id = b.createWorkflow(TWO_STEPS).workflowId();
        b.startWorkflow(id);
        Await.until("B runs the first step", () -> stepsOfB.isRunning("first"));
        b.close();
        expireLeases();
        return id;
    }

    private void finishes(WorkflowOrchestrator a, WorkflowId id) {
        if (stepsOfA.isRunning("first")) {
            stepsOfA.complete("first");
        }
        Await.until("A runs the second step", () -> stepsOfA.isRunning("second"));
        stepsOfA.complete("second");
        assertThat(a.awaitTermination(id))
                .succeedsWithin(Duration.ofSeconds(30))
                .extracting(WorkflowStatus::state)
                .isEqualTo(WorkflowState.COMPLETED);
        // The termination is announced as soon as it is decided; the store has it once its commit is done.
        Await.until(
                "the completion is stored, the lease with it given up",
                () -> db.query("SELECT coalesce(owner, '-') || ' ' || state FROM workflows")
                        .equals(List.of("- completed")));
        assertThat(db.queryLong("SELECT count(*) FROM events"))
                .isEqualTo(db.queryLong("SELECT max(sequence) FROM events"));
    }

    private void expireLeases() {
        db.execute("UPDATE workflows SET lease_expires_at = now() - interval '1 second'");
    }

    private WorkflowOrchestrator open(
            String instanceId, GatedSteps steps, WorkflowStore store, VirtualTimeSource clock) {
        return db.track(GatedInstances.open(instanceId, steps, store, clock));
    }
}
