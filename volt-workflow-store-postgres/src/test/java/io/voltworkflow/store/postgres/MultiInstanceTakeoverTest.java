package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent.StepCompleted;
import io.voltworkflow.core.event.WorkflowEvent.StepStarted;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two orchestrator instances on one database. Instance A runs workflows and dies mid-run (closed without releasing
 * its leases, as a crash leaves them); once its leases expire on the database clock, instance B takes the
 * workflows over, re-issues the steps A had running, never re-runs what A completed, and finishes them.
 */
class MultiInstanceTakeoverTest {
  private static final StepType WORK = StepType.of("work");
  private static final Duration LEASE_TTL = Duration.ofSeconds(3);
  private static final int WORKFLOWS = 3;

  @RegisterExtension final PostgresSchema db = new PostgresSchema();

  private final GatedSteps stepsOfA = new GatedSteps();
  private final GatedSteps stepsOfB = new GatedSteps();
  // B's timers (lease maintenance included) run when the test advances this clock; leases expire on the database's.
  private final VirtualTimeSource clockOfB = new VirtualTimeSource();

  @Test
  void whenAnInstanceDiesAnotherTakesOverItsWorkflowsAndFinishesThem() {
    WorkflowOrchestrator b = db.track(WorkflowOrchestrator.create(options("instance-b", stepsOfB)
        .timeSource(clockOfB).build()));
    WorkflowOrchestrator a = db.track(WorkflowOrchestrator.create(options("instance-a", stepsOfA).build()));

    List<WorkflowId> ids = new ArrayList<>();
    for (int i = 0; i < WORKFLOWS; i++) {
      WorkflowId id = a.createWorkflow(new WorkflowDefinition("takeover " + i, null,
          List.of(StepDefinition.of("first-" + i, WORK), StepDefinition.of("second-" + i, WORK, "first-" + i)),
          WorkflowOptions.DEFAULTS)).workflowId();
      a.startWorkflow(id);
      ids.add(id);
    }
    for (int i = 0; i < WORKFLOWS; i++) {
      stepsOfA.complete("first-" + i);
    }
    List<String> secondSteps = IntStream.range(0, WORKFLOWS).mapToObj(i -> "second-" + i).toList();
    Await.until("A runs every second step", () -> stepsOfA.runningSteps().containsAll(secondSteps));
    assertThat(db.query("SELECT DISTINCT owner FROM workflows")).containsExactly("instance-a");

    // While A is alive, B's lease maintenance finds nothing to take.
    runLeaseMaintenanceOfB();
    assertThat(stepsOfB.invocations()).isEmpty();

    a.close();

    Await.until("B takes over every workflow and re-issues its running step", () -> {
      runLeaseMaintenanceOfB();
      return stepsOfB.runningSteps().containsAll(secondSteps);
    });
    assertThat(db.query("SELECT DISTINCT owner FROM workflows")).containsExactly("instance-b");
    secondSteps.forEach(stepsOfB::complete);

    for (int i = 0; i < WORKFLOWS; i++) {
      WorkflowId id = ids.get(i);
      assertThat(b.awaitTermination(id)).succeedsWithin(Duration.ofSeconds(30))
          .extracting(status -> status.state()).isEqualTo(WorkflowState.COMPLETED);
      List<EventRecord> events = b.events(id, 0, 1000);
      String first = "first-" + i;
      String second = "second-" + i;
      assertThat(events).filteredOn(e -> e.event() instanceof StepCompleted c && c.step().equals(first)).hasSize(1);
      assertThat(events).filteredOn(e -> e.event() instanceof StepStarted s && s.step().equals(second) && s.reissued())
          .hasSize(1);
    }
    assertThat(stepsOfB.invocations()).extracting(GatedSteps.Invocation::step)
        .containsExactlyInAnyOrderElementsOf(secondSteps);
    Await.until("B releases the leases of finished workflows",
        () -> db.queryLong("SELECT count(*) FROM workflows WHERE owner IS NOT NULL") == 0);
    assertThat(db.query("SELECT DISTINCT state || ' ' || terminal FROM workflows")).containsExactly("completed true");
    try (PostgresWorkflowStore store = PostgresWorkflowStore.open(db.options().build())) {
      assertThat(store.verify().problems()).isEmpty();
    }
  }

  private OrchestratorOptions.Builder options(String instanceId, GatedSteps steps) {
    return OrchestratorOptions.builder()
        .store(PostgresWorkflowStore.open(db.options().build()))
        .engines(Engines.builder().customStep("work", steps).build())
        .instanceId(instanceId)
        .leaseTtl(LEASE_TTL);
  }

  private void runLeaseMaintenanceOfB() {
    clockOfB.advance(LEASE_TTL.dividedBy(3));
  }
}
