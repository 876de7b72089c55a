package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.DuplicateWorkflowException;
import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two orchestrator instances on one database: one runner per workflow, whichever instance a request reaches. The
 * instances' own timers run on virtual clocks the test does not advance, so every lease change is the test's.
 */
class MultiInstanceConsistencyTest {
    private static final WorkflowDefinition TWO_STEPS = GatedInstances.twoSteps("wf-shared");

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    private final GatedSteps stepsOfA = new GatedSteps();
    private final GatedSteps stepsOfB = new GatedSteps();

    /**
     * A restarting instance replays the log, then takes the leases of workflows nobody holds. Another instance may
     * run a workflow on between the two (and die): the restarting one must run from the log as it is once it holds
     * the lease, not as it was when it replayed, or it runs again a step whose completion is stored.
     */
    @Test
    void aRestartingInstanceNeverRunsAStepAnotherCompletedAfterItsReplay() {
        WorkflowOrchestrator b = open(
                "instance-b",
                stepsOfB,
                db.track(PostgresWorkflowStore.open(db.options().build())));
        WorkflowId id = b.createWorkflow(TWO_STEPS).workflowId();
        b.startWorkflow(id);
        Await.until("B runs the first step", () -> stepsOfB.isRunning("first"));

        PostgresWorkflowStore storeOfA =
                db.track(PostgresWorkflowStore.open(db.options().build()));
        WorkflowStore replayingSlowly = new ReplayHook(storeOfA, () -> {
            // Between A's replay and its taking the lease: B completes the first step, starts the second and dies.
            stepsOfB.complete("first");
            Await.until("B runs the second step", () -> stepsOfB.isRunning("second"));
            Await.until(
                    "B's start of the second step is stored",
                    () -> storeOfA.read(id, 0, 100).stream()
                            .anyMatch(e -> e.event() instanceof io.voltworkflow.core.event.WorkflowEvent.StepStarted s
                                    && s.step().equals("second")));
            b.close();
            db.execute("UPDATE workflows SET lease_expires_at = now() - interval '1 second'");
        });
        WorkflowOrchestrator a = open("instance-a", stepsOfA, replayingSlowly);

        Await.until("A re-issues the step B had running", () -> stepsOfA.isRunning("second"));
        assertThat(stepsOfA.invocations())
                .extracting(GatedSteps.Invocation::step)
                .containsExactly("second");
        stepsOfA.complete("second");
        assertThat(a.awaitTermination(id))
                .succeedsWithin(Duration.ofSeconds(30))
                .extracting(WorkflowStatus::state)
                .isEqualTo(WorkflowState.COMPLETED);
        assertThat(db.query("SELECT coalesce(owner, '-') FROM workflows")).containsExactly("-");
    }

    @Test
    void anyInstanceAnswersForAnyWorkflowAndOnlyTheLeaseHolderChangesIt() {
        VirtualTimeSource clockOfA = new VirtualTimeSource();
        WorkflowOrchestrator a = open(
                "instance-a",
                stepsOfA,
                db.track(PostgresWorkflowStore.open(db.options().build())),
                clockOfA);
        WorkflowOrchestrator b = open(
                "instance-b",
                stepsOfB,
                db.track(PostgresWorkflowStore.open(db.options().build())));
        WorkflowId id = a.createWorkflow(TWO_STEPS).workflowId();
        a.startWorkflow(id);
        Await.until("A runs the first step", () -> stepsOfA.isRunning("first"));

        // The create retried on B (A answered too late, say) finds A's workflow: same body, same workflow.
        WorkflowStatus retried = b.createWorkflow(TWO_STEPS);
        assertThat(retried.workflowId()).isEqualTo(id);
        assertThat(retried.state()).isEqualTo(WorkflowState.RUNNING);
        WorkflowDefinition other =
                new WorkflowDefinition("another requirement", null, TWO_STEPS.steps(), TWO_STEPS.options());
        assertThatThrownBy(() -> b.createWorkflow(other)).isInstanceOf(DuplicateWorkflowException.class);

        assertThat(b.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.RUNNING);
        List<EventRecord> events = b.events(id, 0, 100);
        assertThat(events).isEqualTo(a.events(id, 0, 100));
        // Control requests reaching B are relayed to A, which runs the workflow, and answered with A's outcome.
        assertThat(relayed(clockOfA, () -> b.pauseWorkflow(id).join()).state()).isEqualTo(WorkflowState.PAUSED);
        assertThat(a.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.PAUSED);
        assertThat(relayed(clockOfA, () -> b.resumeWorkflow(id)).state()).isEqualTo(WorkflowState.RUNNING);
        assertThatThrownBy(() -> relayed(clockOfA, () -> b.startWorkflow(id)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageStartingWith("cannot start workflow 'wf-shared': it is running");
        assertThat(db.query("SELECT action || ' ' || taken_by || ' ' || applied FROM control_requests ORDER BY id"))
                .containsExactly("pause instance-a true", "resume instance-a true", "start instance-a false");
        assertThat(stepsOfB.invocations()).isEmpty();

        stepsOfA.complete("first");
        Await.until("A runs the second step", () -> stepsOfA.isRunning("second"));
        stepsOfA.complete("second");
        assertThat(a.awaitTermination(id)).succeedsWithin(Duration.ofSeconds(30));
        Await.until(
                "B reads the completion A stored", () -> b.getWorkflowStatus(id).state() == WorkflowState.COMPLETED);
        assertThat(b.createWorkflow(TWO_STEPS).state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(db.query("SELECT coalesce(owner, '-') || ' ' || state FROM workflows"))
                .containsExactly("- completed");
        assertThat(stepsOfB.invocations()).isEmpty();
    }

    @Test
    void everyInstanceListsEveryWorkflowAndStreamsTheEventsOfWorkflowsRunElsewhere() {
        VirtualTimeSource clockOfB = new VirtualTimeSource();
        WorkflowOrchestrator a = open(
                "instance-a",
                stepsOfA,
                db.track(PostgresWorkflowStore.open(db.options().build())));
        WorkflowOrchestrator b = open(
                "instance-b",
                stepsOfB,
                db.track(PostgresWorkflowStore.open(db.options().build())),
                clockOfB);
        WorkflowId labelled = a.createWorkflow(new WorkflowDefinition(
                        "labelled",
                        null,
                        TWO_STEPS.steps(),
                        WorkflowOptions.builder()
                                .workflowId(WorkflowId.of("wf-labelled"))
                                .labels(Map.of("team", "payments"))
                                .build()))
                .workflowId();
        a.startWorkflow(labelled);
        WorkflowId plain = a.createWorkflow(TWO_STEPS).workflowId();
        Await.until("A runs the first step", () -> stepsOfA.isRunning("first"));

        assertThat(b.listWorkflows(WorkflowQuery.ALL))
                .extracting(WorkflowStatus::workflowId)
                .containsExactly(plain, labelled);
        assertThat(b.listWorkflows(new WorkflowQuery(Set.of(), "team", "payments", 0, 10)))
                .extracting(WorkflowStatus::workflowId)
                .containsExactly(labelled);
        assertThat(b.listWorkflows(new WorkflowQuery(Set.of(), "team", null, 0, 10)))
                .extracting(WorkflowStatus::workflowId)
                .containsExactly(labelled);
        assertThat(b.listWorkflows(new WorkflowQuery(Set.of(WorkflowState.RUNNING), null, null, 0, 10)))
                .extracting(WorkflowStatus::workflowId, WorkflowStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(labelled, WorkflowState.RUNNING));
        assertThat(b.listWorkflows(new WorkflowQuery(Set.of(), null, null, 1, 10)))
                .extracting(WorkflowStatus::workflowId)
                .containsExactly(labelled);

        List<EventRecord> streamed = new CopyOnWriteArrayList<>();
        try (Subscription stream = b.subscribe(labelled, 0, streamed::add)) {
            Await.until("B streams what A stored", () -> streamed.equals(a.events(labelled, 0, 100)));
            stepsOfA.complete("first");
            Await.until("A runs the second step", () -> stepsOfA.isRunning("second"));
            List<EventRecord> stored = a.events(labelled, 0, 100);
            // B learns of A's new events only from the store, on its next read of it.
            clockOfB.advance(Duration.ofSeconds(1));
            Await.until("B streams the events A stored since", () -> streamed.equals(stored));
        }
        assertThat(stepsOfB.invocations()).isEmpty();
    }

    @Test
    void aCreateRetriedAfterItsInstanceDiedRunsTheWorkflowFromTheStore() {
        PostgresWorkflowStore storeOfA =
                db.track(PostgresWorkflowStore.open(db.options().build()));
        WorkflowOrchestrator a = open("instance-a", stepsOfA, storeOfA);
        WorkflowId id = a.createWorkflow(TWO_STEPS).workflowId();
        a.close();
        db.execute("UPDATE workflows SET lease_expires_at = now() - interval '1 second'");

        WorkflowOrchestrator b = open(
                "instance-b",
                stepsOfB,
                db.track(PostgresWorkflowStore.open(db.options().build())));
        WorkflowStatus retried = b.createWorkflow(TWO_STEPS);
        assertThat(retried.workflowId()).isEqualTo(id);
        assertThat(retried.state()).isEqualTo(WorkflowState.INITIALIZED);
        b.startWorkflow(id);
        Await.until("B runs the first step", () -> stepsOfB.isRunning("first"));
        assertThat(db.query("SELECT owner FROM workflows")).containsExactly("instance-b");
    }

    @Test
    void aGracefulShutdownHandsItsWorkflowsOverAtOnce() {
        WorkflowOrchestrator a = open(
                "instance-a",
                stepsOfA,
                db.track(PostgresWorkflowStore.open(db.options().build())));
        WorkflowId id = a.createWorkflow(TWO_STEPS).workflowId();
        a.startWorkflow(id);
        Await.until("A runs the first step", () -> stepsOfA.isRunning("first"));

        a.shutdown(Duration.ofMillis(1));

        assertThat(db.query("SELECT coalesce(owner, '-') FROM workflows")).containsExactly("-");
        open(
                "instance-b",
                stepsOfB,
                db.track(PostgresWorkflowStore.open(db.options().build())));
        Await.until("B re-issues the step A had running", () -> stepsOfB.isRunning("first"));
    }

    /**
     * Runs a control request on another thread (it waits for the lease holder's answer), lets the holder take it on
     * its next poll, and returns the answer.
     */
    private WorkflowStatus relayed(VirtualTimeSource clockOfHolder, Supplier<WorkflowStatus> request) {
        long before = db.queryLong("SELECT count(*) FROM control_requests");
        CompletableFuture<WorkflowStatus> answer = CompletableFuture.supplyAsync(request);
        Await.until(
                "the request is filed",
                () -> answer.isDone() || db.queryLong("SELECT count(*) FROM control_requests") > before);
        clockOfHolder.advance(Duration.ofSeconds(1));
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer to the relayed request", e);
        }
    }

    private WorkflowOrchestrator open(String instanceId, GatedSteps steps, WorkflowStore store) {
        return open(instanceId, steps, store, new VirtualTimeSource());
    }

    private WorkflowOrchestrator open(
            String instanceId, GatedSteps steps, WorkflowStore store, VirtualTimeSource clock) {
        return db.track(GatedInstances.open(instanceId, steps, store, clock));
    }

    /** The real store, running a hook once a full replay is done: what happens while an instance starts. */
    private static final class ReplayHook extends ForwardingStore {
        private final Runnable afterReplay;

        ReplayHook(PostgresWorkflowStore store, Runnable afterReplay) {
            super(store);
            this.afterReplay = afterReplay;
        }

        @Override
        public void replay(ReplayVisitor visitor) {
            store.replay(visitor);
            afterReplay.run();
        }
    }
}
