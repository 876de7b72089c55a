package io.voltworkflow.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.Transition;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Random DAGs and random lifecycle calls: the invariants of scheduling and of the transition table. */
class SchedulingPropertiesTest {
    private static final StepType WORK = StepType.of("work");

    /** Step i depends on a random subset of steps before it: always acyclic. */
    private static List<StepDefinition> randomDag(int size, long seed) {
        Random random = new Random(seed);
        List<StepDefinition> steps = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> deps = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(4) == 0) {
                    deps.add("s" + j);
                }
            }
            steps.add(new StepDefinition("s" + i, WORK, deps, null, null, null));
        }
        return steps;
    }

    private static WorkflowOrchestrator open(GatedSteps gated, VirtualTimeSource clock, int bound) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new InMemoryWorkflowStore())
                .engines(Engines.builder().customStep("work", gated).build())
                .timeSource(clock)
                .maxConcurrentSteps(bound)
                .random(() -> 0.5)
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialInterval(Duration.ofSeconds(1))
                        .jitter(0)
                        .build())
                .build());
    }

    @Property(tries = 200, seed = "20261125")
    void everyStepRunsExactlyOnceAfterItsDependenciesWithinTheBound(
            @ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll @IntRange(min = 1, max = 6) int bound,
            @ForAll long seed) {
        GatedSteps gated = new GatedSteps();
        VirtualTimeSource clock = new VirtualTimeSource();
        List<StepDefinition> dag = randomDag(size, seed);
        Map<String, List<String>> deps = new HashMap<>();
        dag.forEach(s -> deps.put(s.name(), s.dependencies()));
        try (WorkflowOrchestrator orchestrator = open(gated, clock, bound)) {
            WorkflowId id = orchestrator
                    .createWorkflow(new WorkflowDefinition("random dag", null, dag, WorkflowOptions.DEFAULTS))
                    .workflowId();
            orchestrator.startWorkflow(id);
            Random random = new Random(seed ^ 0x5DEECE66DL);
            Set<String> completed = new HashSet<>();
            while (!gated.runningSteps().isEmpty()) {
                assertThat(gated.runningSteps().size()).isLessThanOrEqualTo(bound);
                for (String running : gated.runningSteps()) {
                    assertThat(completed).containsAll(deps.get(running));
                }
                List<String> running = gated.runningSteps();
                String next = running.get(random.nextInt(running.size()));
                gated.complete(next);
                completed.add(next);
            }
            assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(gated.invocations()).hasSize(size);
            assertThat(gated.invocations().stream()
                            .map(GatedSteps.Invocation::step)
                            .distinct()
                            .count())
                    .isEqualTo(size);
            assertThat(gated.maxConcurrent()).isLessThanOrEqualTo(bound);
        }
    }

    enum Op {
        START,
        PAUSE,
        RESUME,
        CANCEL,
        COMPLETE,
        FAIL_RETRYABLE,
        FAIL_FATAL,
        ADVANCE
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        return Arbitraries.of(Op.class).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300, seed = "20261125")
    void randomLifecycleCallsNeverBreakTheTransitionTable(
            @ForAll("operations") List<Op> ops, @ForAll @IntRange(min = 2, max = 12) int size, @ForAll long seed) {
        GatedSteps gated = new GatedSteps();
        VirtualTimeSource clock = new VirtualTimeSource();
        Random random = new Random(seed);
        try (WorkflowOrchestrator orchestrator = open(gated, clock, 3)) {
            WorkflowId id = orchestrator
                    .createWorkflow(
                            new WorkflowDefinition("lifecycle", null, randomDag(size, seed), WorkflowOptions.DEFAULTS))
                    .workflowId();
            for (Op op : ops) {
                WorkflowState before = orchestrator.getWorkflowStatus(id).state();
                try {
                    apply(op, orchestrator, id, gated, clock, random);
                } catch (IllegalTransitionException e) {
                    assertThat(e.from()).isEqualTo(before);
                    assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(before);
                }
                checkInvariants(orchestrator.getWorkflowStatus(id), gated);
            }
        }
    }

    private static void apply(
            Op op, WorkflowOrchestrator o, WorkflowId id, GatedSteps gated, VirtualTimeSource clock, Random random) {
        List<String> running = gated.runningSteps();
        String any = running.isEmpty() ? null : running.get(random.nextInt(running.size()));
        switch (op) {
            case START -> o.startWorkflow(id);
            case PAUSE -> o.pauseWorkflow(id);
            case RESUME -> o.resumeWorkflow(id);
            case CANCEL -> o.cancelWorkflow(id, "random cancel");
            case COMPLETE -> {
                if (any != null) {
                    gated.complete(any);
                }
            }
            case FAIL_RETRYABLE -> {
                if (any != null) {
                    gated.fail(any, StepError.retryable(StepError.NETWORK_ERROR, "flaky"));
                }
            }
            case FAIL_FATAL -> {
                if (any != null) {
                    gated.fail(any, StepError.recoverable(StepError.VALIDATION_FAILED, "broken"));
                }
            }
            case ADVANCE -> clock.advance(Duration.ofSeconds(1 + random.nextInt(5)));
        }
    }

    private static void checkInvariants(WorkflowStatus status, GatedSteps gated) {
        List<Transition> history = status.history();
        for (int i = 1; i < history.size(); i++) {
            Transition t = history.get(i);
            assertThat(t.from().canTransitionTo(t.to()))
                    .as("%s -> %s", t.from(), t.to())
                    .isTrue();
            assertThat(t.from()).isEqualTo(history.get(i - 1).to());
        }
        assertThat(history.get(history.size() - 1).to()).isEqualTo(status.state());
        long runningInStatus = status.steps().stream()
                .filter(s -> s.state() == StepState.RUNNING)
                .count();
        assertThat(gated.runningSteps()).hasSize((int) runningInStatus);
        if (status.state().isTerminal()) {
            assertThat(gated.runningSteps()).isEmpty();
        }
        if (status.state() == WorkflowState.COMPLETED) {
            assertThat(status.steps()).allMatch(s -> s.state() == StepState.COMPLETED);
        }
        for (StepStatus step : status.steps()) {
            if (step.state() == StepState.RUNNING) {
                assertThat(step.dependencies())
                        .allMatch(dep -> status.step(dep).orElseThrow().state() == StepState.COMPLETED);
            }
        }
    }
}
