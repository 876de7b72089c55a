package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent.StepCompleted;
import io.voltworkflow.core.event.WorkflowEvent.StepStarted;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two orchestrator instances on one database. Instance A runs workflows and dies mid-run; once its leases expire on
 * the database clock, instance B takes the workflows over, re-issues the steps A had running, never re-runs what A
 * completed, and finishes them.
 */
class MultiInstanceTakeoverTest {
    // Long enough that a child JVM starved on a loaded machine still renews in time: an expired lease fences its
    // writes.
    private static final Duration LEASE_TTL = Duration.ofSeconds(6);
    private static final int WORKFLOWS = 3;
    private static final List<String> SECOND_STEPS =
            IntStream.range(0, WORKFLOWS).mapToObj(i -> "second-" + i).toList();

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    private final GatedSteps stepsOfB = new GatedSteps();
    // B's timers (lease maintenance included) run when the test advances this clock; leases expire on the database's.
    private final VirtualTimeSource clockOfB = new VirtualTimeSource();
    private Process processOfA;

    @AfterEach
    void killA() {
        if (processOfA != null) {
            processOfA.destroyForcibly();
        }
    }

    /** "Dies": closed without releasing its leases, as a crash leaves them. */
    @Test
    void whenAnInstanceStopsWithoutReleasingItsLeasesAnotherFinishesItsWorkflows() {
        WorkflowOrchestrator b = openB();
        GatedSteps stepsOfA = new GatedSteps();
        WorkflowOrchestrator a = db.track(
                WorkflowOrchestrator.create(options("instance-a", stepsOfA).build()));
        List<WorkflowId> ids = new ArrayList<>();
        for (int i = 0; i < WORKFLOWS; i++) {
            WorkflowId id = a.createWorkflow(InstanceProcess.definition(i)).workflowId();
            a.startWorkflow(id);
            String first = "first-" + i;
            // The engine is called once the step's start is stored, after startWorkflow returned.
            Await.until("A runs " + first, () -> stepsOfA.isRunning(first));
            stepsOfA.complete(first);
            ids.add(id);
        }
        Await.until("A runs every second step", () -> stepsOfA.runningSteps().containsAll(SECOND_STEPS));
        assertNothingTakenWhileAIsAlive();

        a.close();

        takeOverAndFinish(b, ids);
    }

    /** Dies for real: A runs in its own JVM, which is killed mid-run. */
    @Test
    void whenAnInstanceProcessIsKilledAnotherFinishesItsWorkflows() throws Exception {
        WorkflowOrchestrator b = openB();
        processOfA = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        InstanceProcess.class.getName(),
                        db.name(),
                        "instance-a",
                        String.valueOf(LEASE_TTL.toMillis()),
                        String.valueOf(WORKFLOWS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader output =
                new BufferedReader(new InputStreamReader(processOfA.getInputStream(), StandardCharsets.UTF_8));
        String running = CompletableFuture.supplyAsync(() -> {
                    try {
                        return output.readLine();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .get(60, TimeUnit.SECONDS);
        assertThat(running).as("instance A's report").startsWith("RUNNING ");
        List<WorkflowId> ids = Arrays.stream(
                        running.substring("RUNNING ".length()).split(" "))
                .map(WorkflowId::of)
                .toList();
        assertNothingTakenWhileAIsAlive();

        processOfA.destroyForcibly();
        assertThat(processOfA.waitFor(30, TimeUnit.SECONDS)).isTrue();

        takeOverAndFinish(b, ids);
    }

    private WorkflowOrchestrator openB() {
        return db.track(WorkflowOrchestrator.create(
                options("instance-b", stepsOfB).timeSource(clockOfB).build()));
    }

    private OrchestratorOptions.Builder options(String instanceId, GatedSteps steps) {
        return OrchestratorOptions.builder()
                .store(PostgresWorkflowStore.open(db.options().build()))
                .engines(Engines.builder().customStep("work", steps).build())
                .instanceId(instanceId)
                .leaseTtl(LEASE_TTL);
    }

    private void assertNothingTakenWhileAIsAlive() {
        assertThat(db.query("SELECT DISTINCT owner FROM workflows")).containsExactly("instance-a");
        runLeaseMaintenanceOfB();
        assertThat(stepsOfB.invocations()).isEmpty();
    }

    private void takeOverAndFinish(WorkflowOrchestrator b, List<WorkflowId> ids) {
        Await.until("B takes over every workflow and re-issues its running step", () -> {
            runLeaseMaintenanceOfB();
            return stepsOfB.runningSteps().containsAll(SECOND_STEPS);
        });
        assertThat(db.query("SELECT DISTINCT owner FROM workflows")).containsExactly("instance-b");
        SECOND_STEPS.forEach(stepsOfB::complete);

        for (int i = 0; i < WORKFLOWS; i++) {
            WorkflowId id = ids.get(i);
            assertThat(b.awaitTermination(id))
                    .succeedsWithin(Duration.ofSeconds(30))
                    .extracting(status -> status.state())
                    .isEqualTo(WorkflowState.COMPLETED);
            String first = "first-" + i;
            String second = "second-" + i;
            List<EventRecord> events = b.events(id, 0, 1000);
            assertThat(events)
                    .filteredOn(e ->
                            e.event() instanceof StepCompleted c && c.step().equals(first))
                    .hasSize(1);
            assertThat(events)
                    .filteredOn(
                            e -> e.event() instanceof StepStarted s && s.step().equals(second) && s.reissued())
                    .hasSize(1);
        }
        assertThat(stepsOfB.invocations())
                .extracting(GatedSteps.Invocation::step)
                .containsExactlyInAnyOrderElementsOf(SECOND_STEPS);
        Await.until(
                "B releases the leases of finished workflows",
                () -> db.queryLong("SELECT count(*) FROM workflows WHERE owner IS NOT NULL") == 0);
        assertThat(db.query("SELECT DISTINCT state || ' ' || terminal FROM workflows"))
                .containsExactly("completed true");
        try (PostgresWorkflowStore store =
                PostgresWorkflowStore.open(db.options().build())) {
            assertThat(store.verify().problems()).isEmpty();
        }
    }

    private void runLeaseMaintenanceOfB() {
        clockOfB.advance(LEASE_TTL.dividedBy(3));
    }
}
