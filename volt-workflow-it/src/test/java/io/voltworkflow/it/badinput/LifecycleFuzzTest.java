package io.voltworkflow.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.Transition;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random lifecycle calls interleaved across several workflows that share one orchestrator, with engines that finish,
 * fail (retryable, rate limited with a hint, for good) or time out at random. Only the documented refusals may be
 * thrown; after every call the transition table, the global concurrency bound and gap-free event sequences hold, and
 * at the end every workflow can be brought to a terminal state.
 */
class LifecycleFuzzTest {
    private static final StepType WORK = StepType.of("work");
    private static final WorkflowId UNKNOWN = WorkflowId.of("wf-never-created");
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger WORKFLOWS = new AtomicInteger();

    @AfterContainer
    static void summary() {
        System.out.printf(
                "bad-input lifecycle: %d workflows, %d random calls, %d refused as illegal transitions or "
                        + "unknown ids, 0 other exceptions, 0 transition-table violations, 0 sequence gaps%n",
                WORKFLOWS.get(), CALLS.get(), REFUSED.get());
    }

    enum Kind {
        START,
        PAUSE,
        RESUME,
        CANCEL,
        COMPLETE,
        FAIL_RETRYABLE,
        FAIL_RATE_LIMITED,
        FAIL_FATAL,
        ADVANCE,
        UNKNOWN_ID
    }

    record Op(Kind kind, int workflow, int pick) {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.START)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Kind.PAUSE, Kind.RESUME, Kind.CANCEL, Kind.UNKNOWN_ID)),
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.COMPLETE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(Kind.FAIL_RETRYABLE, Kind.FAIL_RATE_LIMITED, Kind.FAIL_FATAL)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.ADVANCE)));
        return Combinators.combine(
                        kinds,
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 99))
                .as(Op::new)
                .list()
                .ofMinSize(5)
                .ofMaxSize(80);
    }

    @Property(tries = 150, seed = "20261125")
    void randomCallsAcrossWorkflowsKeepEveryInvariant(
            @ForAll("operations") List<Op> ops,
            @ForAll @IntRange(min = 2, max = 4) int workflowCount,
            @ForAll @IntRange(min = 1, max = 4) int globalBound,
            @ForAll long seed) {
        GatedSteps gated = new GatedSteps();
        VirtualTimeSource clock = new VirtualTimeSource();
        Random random = new Random(seed);
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new InMemoryWorkflowStore())
                .engines(Engines.builder().customStep("work", gated).build())
                .timeSource(clock)
                .maxConcurrentSteps(globalBound)
                .stepTimeout(Duration.ofSeconds(10))
                .random(() -> 0.5)
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialInterval(Duration.ofSeconds(1))
                        .jitter(0)
                        .build())
                .build())) {
            List<WorkflowId> ids = new ArrayList<>();
            for (int i = 0; i < workflowCount; i++) {
                WorkflowOptions options = WorkflowOptions.builder()
                        .maxConcurrentSteps(random.nextInt(3))
                        .build();
                ids.add(orchestrator
                        .createWorkflow(new WorkflowDefinition(
                                "lifecycle " + i,
                                null,
                                FuzzData.randomDag("w" + i + "-s", 1 + random.nextInt(8), random.nextLong(), WORK),
                                options))
                        .workflowId());
            }
            WORKFLOWS.addAndGet(workflowCount);
            for (Op op : ops) {
                WorkflowId id = ids.get(op.workflow() % ids.size());
                WorkflowState before = orchestrator.getWorkflowStatus(id).state();
                CALLS.incrementAndGet();
                try {
                    apply(op, orchestrator, id, gated, clock);
                } catch (IllegalTransitionException e) {
                    assertThat(e.from()).isEqualTo(before);
                    assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(before);
                    assertThat(e.getMessage()).contains(id.value()).contains(before.wireName());
                    REFUSED.incrementAndGet();
                } catch (WorkflowNotFoundException e) {
                    assertThat(op.kind()).isEqualTo(Kind.UNKNOWN_ID);
                    assertThat(e.getMessage()).contains(UNKNOWN.value());
                    REFUSED.incrementAndGet();
                }
                checkInvariants(orchestrator, ids, gated, globalBound);
            }
            for (WorkflowId id : ids) {
                if (!orchestrator.getWorkflowStatus(id).state().isFinal()) {
                    orchestrator.cancelWorkflow(id, "end of sequence");
                }
                assertThat(orchestrator.awaitTermination(id).join().state().isTerminal())
                        .isTrue();
            }
            checkInvariants(orchestrator, ids, gated, globalBound);
            assertThat(gated.runningSteps()).isEmpty();
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the fuzz checks invariants afterwards, not each call's future
    private static void apply(Op op, WorkflowOrchestrator o, WorkflowId id, GatedSteps gated, VirtualTimeSource clock) {
        List<String> running = runningStepsOf(o, id, gated);
        String step = running.isEmpty() ? null : running.get(op.pick() % running.size());
        switch (op.kind()) {
            case START -> o.startWorkflow(id);
            case PAUSE -> o.pauseWorkflow(id);
            case RESUME -> o.resumeWorkflow(id);
            case CANCEL -> o.cancelWorkflow(id, op.pick() % 2 == 0 ? null : "random cancel");
            case COMPLETE -> {
                if (step != null) {
                    gated.complete(step);
                }
            }
            case FAIL_RETRYABLE -> {
                if (step != null) {
                    gated.fail(step, StepError.retryable(StepError.NETWORK_ERROR, "connection reset"));
                }
            }
            case FAIL_RATE_LIMITED -> {
                if (step != null) {
                    gated.fail(
                            step,
                            StepError.retryableAfter(StepError.RATE_LIMITED, "429", Duration.ofSeconds(op.pick())));
                }
            }
            case FAIL_FATAL -> {
                if (step != null) {
                    gated.fail(step, StepError.recoverable(StepError.VALIDATION_FAILED, "tests failed"));
                }
            }
            case ADVANCE -> clock.advance(Duration.ofMillis(100L * op.pick()));
            case UNKNOWN_ID -> o.pauseWorkflow(UNKNOWN);
        }
    }

    private static List<String> runningStepsOf(WorkflowOrchestrator o, WorkflowId id, GatedSteps gated) {
        List<String> steps = new ArrayList<>();
        o.getWorkflowStatus(id).steps().forEach(s -> {
            if (gated.isRunning(s.name())) {
                steps.add(s.name());
            }
        });
        return steps;
    }

    private static void checkInvariants(WorkflowOrchestrator o, List<WorkflowId> ids, GatedSteps gated, int bound) {
        assertThat(gated.runningSteps().size()).isLessThanOrEqualTo(bound);
        long runningInStatuses = 0;
        for (WorkflowId id : ids) {
            WorkflowStatus status = o.getWorkflowStatus(id);
            List<Transition> history = status.history();
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).from().canTransitionTo(history.get(i).to()))
                        .as(
                                "%s: %s -> %s",
                                id, history.get(i).from(), history.get(i).to())
                        .isTrue();
                assertThat(history.get(i).from()).isEqualTo(history.get(i - 1).to());
            }
            assertThat(history.get(history.size() - 1).to()).isEqualTo(status.state());
            long running = status.steps().stream()
                    .filter(s -> s.state() == StepState.RUNNING)
                    .count();
            if (status.state().isTerminal()) {
                assertThat(running).as("%s is %s", id, status.state()).isZero();
            }
            runningInStatuses += running;
            List<EventRecord> events = o.events(id, 0, 10_000);
            assertThat(events)
                    .extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, status.lastSequence())
                            .boxed()
                            .toList());
        }
        assertThat(gated.runningSteps()).hasSize((int) runningInStatuses);
    }
}
