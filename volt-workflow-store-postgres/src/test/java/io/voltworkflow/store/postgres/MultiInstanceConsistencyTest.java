package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.DuplicateWorkflowException;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.WorkflowRunElsewhereException;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two orchestrator instances on one database: one runner per workflow, whichever instance a request reaches. The
 * instances' own timers run on virtual clocks the test does not advance, so every lease change is the test's.
 */
class MultiInstanceConsistencyTest {
  private static final Duration LEASE_TTL = Duration.ofMinutes(5);
  private static final WorkflowDefinition TWO_STEPS = new WorkflowDefinition("two steps", null,
      List.of(StepDefinition.of("first", InstanceProcess.WORK), StepDefinition.of("second", InstanceProcess.WORK,
          "first")),
      WorkflowOptions.builder().workflowId(WorkflowId.of("wf-shared")).build());

  @RegisterExtension final PostgresSchema db = new PostgresSchema();

  private final GatedSteps stepsOfA = new GatedSteps();
  private final GatedSteps stepsOfB = new GatedSteps();

  /**
   * A restarting instance replays the log, then takes the leases of workflows nobody holds. Another instance may
   * run a workflow on between the two (and die): the restarting one must run from the log as it is once it holds
   * the lease, not as it was when it replayed, or it runs again a step whose completion is stored.
   */
  @Test
  void aRestartingInstanceNeverRunsAStepAnotherCompletedAfterItsReplay() {
    WorkflowOrchestrator b = open("instance-b", stepsOfB, db.track(PostgresWorkflowStore.open(db.options().build())));
    WorkflowId id = b.createWorkflow(TWO_STEPS).workflowId();
    b.startWorkflow(id);
    Await.until("B runs the first step", () -> stepsOfB.isRunning("first"));

    PostgresWorkflowStore storeOfA = db.track(PostgresWorkflowStore.open(db.options().build()));
    WorkflowStore replayingSlowly = new ReplayHook(storeOfA, () -> {
      // Between A's replay and its taking the lease: B completes the first step, starts the second and dies.
      stepsOfB.complete("first");
      Await.until("B runs the second step", () -> stepsOfB.isRunning("second"));
      Await.until("B's start of the second step is stored", () -> storeOfA.read(id, 0, 100).stream()
          .anyMatch(e -> e.event() instanceof io.voltworkflow.core.event.WorkflowEvent.StepStarted s
              && s.step().equals("second")));
      b.close();
      db.execute("UPDATE workflows SET lease_expires_at = now() - interval '1 second'");
    });
    WorkflowOrchestrator a = open("instance-a", stepsOfA, replayingSlowly);

    Await.until("A re-issues the step B had running", () -> stepsOfA.isRunning("second"));
    assertThat(stepsOfA.invocations()).extracting(GatedSteps.Invocation::step).containsExactly("second");
    stepsOfA.complete("second");
    assertThat(a.awaitTermination(id)).succeedsWithin(Duration.ofSeconds(30))
        .extracting(WorkflowStatus::state).isEqualTo(WorkflowState.COMPLETED);
    assertThat(db.query("SELECT coalesce(owner, '-') FROM workflows")).containsExactly("-");
  }

  @Test
  void anyInstanceAnswersForAnyWorkflowAndOnlyTheLeaseHolderChangesIt() {
    WorkflowOrchestrator a = open("instance-a", stepsOfA, db.track(PostgresWorkflowStore.open(db.options().build())));
    WorkflowOrchestrator b = open("instance-b", stepsOfB, db.track(PostgresWorkflowStore.open(db.options().build())));
    WorkflowId id = a.createWorkflow(TWO_STEPS).workflowId();
    a.startWorkflow(id);
    Await.until("A runs the first step", () -> stepsOfA.isRunning("first"));

    // The create retried on B (A answered too late, say) finds A's workflow: same body, same workflow.
    WorkflowStatus retried = b.createWorkflow(TWO_STEPS);
    assertThat(retried.workflowId()).isEqualTo(id);
    assertThat(retried.state()).isEqualTo(WorkflowState.RUNNING);
    WorkflowDefinition other = new WorkflowDefinition("another requirement", null, TWO_STEPS.steps(),
        TWO_STEPS.options());
    assertThatThrownBy(() -> b.createWorkflow(other)).isInstanceOf(DuplicateWorkflowException.class);

    assertThat(b.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.RUNNING);
    List<EventRecord> events = b.events(id, 0, 100);
    assertThat(events).isEqualTo(a.events(id, 0, 100));
    assertThatThrownBy(() -> b.cancelWorkflow(id, "from b")).isInstanceOf(WorkflowRunElsewhereException.class);
    assertThat(stepsOfB.invocations()).isEmpty();

    stepsOfA.complete("first");
    Await.until("A runs the second step", () -> stepsOfA.isRunning("second"));
    stepsOfA.complete("second");
    assertThat(a.awaitTermination(id)).succeedsWithin(Duration.ofSeconds(30));
    Await.until("B reads the completion A stored",
        () -> b.getWorkflowStatus(id).state() == WorkflowState.COMPLETED);
    assertThat(b.createWorkflow(TWO_STEPS).state()).isEqualTo(WorkflowState.COMPLETED);
    assertThat(db.query("SELECT coalesce(owner, '-') || ' ' || state FROM workflows")).containsExactly("- completed");
    assertThat(stepsOfB.invocations()).isEmpty();
  }

  @Test
  void aCreateRetriedAfterItsInstanceDiedRunsTheWorkflowFromTheStore() {
    PostgresWorkflowStore storeOfA = db.track(PostgresWorkflowStore.open(db.options().build()));
    WorkflowOrchestrator a = open("instance-a", stepsOfA, storeOfA);
    WorkflowId id = a.createWorkflow(TWO_STEPS).workflowId();
    a.close();
    db.execute("UPDATE workflows SET lease_expires_at = now() - interval '1 second'");

    WorkflowOrchestrator b = open("instance-b", stepsOfB, db.track(PostgresWorkflowStore.open(db.options().build())));
    WorkflowStatus retried = b.createWorkflow(TWO_STEPS);
    assertThat(retried.workflowId()).isEqualTo(id);
    assertThat(retried.state()).isEqualTo(WorkflowState.INITIALIZED);
    b.startWorkflow(id);
    Await.until("B runs the first step", () -> stepsOfB.isRunning("first"));
    assertThat(db.query("SELECT owner FROM workflows")).containsExactly("instance-b");
  }

  @Test
  void aGracefulShutdownHandsItsWorkflowsOverAtOnce() {
    WorkflowOrchestrator a = open("instance-a", stepsOfA, db.track(PostgresWorkflowStore.open(db.options().build())));
    WorkflowId id = a.createWorkflow(TWO_STEPS).workflowId();
    a.startWorkflow(id);
    Await.until("A runs the first step", () -> stepsOfA.isRunning("first"));

    a.shutdown(Duration.ofMillis(1));

    assertThat(db.query("SELECT coalesce(owner, '-') FROM workflows")).containsExactly("-");
    WorkflowOrchestrator b = open("instance-b", stepsOfB, db.track(PostgresWorkflowStore.open(db.options().build())));
    Await.until("B re-issues the step A had running", () -> stepsOfB.isRunning("first"));
  }

  private WorkflowOrchestrator open(String instanceId, GatedSteps steps, WorkflowStore store) {
    return db.track(WorkflowOrchestrator.create(OrchestratorOptions.builder()
        .store(store)
        .engines(Engines.builder().customStep("work", steps).build())
        .instanceId(instanceId)
        .leaseTtl(LEASE_TTL)
        .timeSource(new VirtualTimeSource())
        .build()));
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
