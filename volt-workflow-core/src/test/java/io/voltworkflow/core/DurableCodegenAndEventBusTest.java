package io.voltworkflow.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DurableCodegenAndEventBusTest {
    private final VirtualTimeSource clock = new VirtualTimeSource();
    private final InMemoryWorkflowStore store = new InMemoryWorkflowStore();

    /** A long-running codegen service: jobs finish after {@code pollsNeeded} polls; it counts submissions. */
    static final class SlowCodegen extends FakeEngines {
        final List<String> submitted = new CopyOnWriteArrayList<>();
        final Map<String, AtomicLong> polls = new java.util.concurrent.ConcurrentHashMap<>();
        private final int pollsNeeded;

        SlowCodegen(int pollsNeeded) {
            super(1, false);
            this.pollsNeeded = pollsNeeded;
        }

        @Override
        public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
            submitted.add(context.idempotencyKey());
            return CompletableFuture.completedFuture(new CodegenJob("job-" + context.idempotencyKey(), "slow"));
        }

        @Override
        public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
            long count =
                    polls.computeIfAbsent(job.jobId(), id -> new AtomicLong()).incrementAndGet();
            if (count < pollsNeeded) {
                return CompletableFuture.completedFuture(
                        new CodegenPoll.Running("generating " + count, Duration.ofSeconds(10)));
            }
            return CompletableFuture.completedFuture(
                    new CodegenPoll.Succeeded(new CodegenResult("done", "", List.of(), "ref", "slow", null)));
        }
    }

    private WorkflowOrchestrator open(Engines engines) {
        return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(engines)
                .timeSource(clock)
                .stepTimeout(Duration.ofHours(1))
                .build());
    }

    @Test
    void resumedWorkflowKeepsPollingItsJobAndNeverSubmitsTwice() {
        SlowCodegen first = new SlowCodegen(100);
        WorkflowId id;
        try (WorkflowOrchestrator orchestrator = open(first.engines())) {
            id = orchestrator
                    .createWorkflow("req", Map.of(), WorkflowOptions.DEFAULTS)
                    .workflowId();
            orchestrator.startWorkflow(id);
            clock.advance(Duration.ofSeconds(30));
            assertThat(first.submitted).hasSize(1);
            assertThat(orchestrator
                            .getWorkflowStatus(id)
                            .step("Generate Code for Task T1")
                            .orElseThrow()
                            .progressMessage())
                    .isEqualTo("generating 4");
        }
        SlowCodegen second = new SlowCodegen(3);
        try (WorkflowOrchestrator orchestrator = open(second.engines())) {
            clock.advance(Duration.ofSeconds(30));
            assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(second.submitted).isEmpty();
            assertThat(second.polls)
                    .containsOnlyKeys(
                            first.submitted.stream().map(k -> "job-" + k).toList());
        }
    }

    @Test
    void slowListenersNeverBlockTheEngineAndOverflowIsCountedAndReadBackFromTheStore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> missed = new CopyOnWriteArrayList<>();
        List<EventRecord> slowWorkflowListener = new CopyOnWriteArrayList<>();
        List<EventRecord> slowGlobalListener = new CopyOnWriteArrayList<>();
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(store)
                .engines(new FakeEngines(5, false).engines())
                .timeSource(clock)
                .eventQueueSize(2)
                .eventBatchSize(1)
                .build())) {
            Subscription blocked = orchestrator.onAny(new EventListener() {
                @Override
                public void onEvent(EventRecord event) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    slowGlobalListener.add(event);
                }

                @Override
                public void onMissed(long count, long totalMissed) {
                    missed.add(count);
                }
            });
            WorkflowId id = orchestrator
                    .createWorkflow("req", Map.of(), WorkflowOptions.DEFAULTS)
                    .workflowId();
            orchestrator.subscribe(id, 0, event -> {
                if (event.sequence() == 1) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                slowWorkflowListener.add(event);
            });
            orchestrator.startWorkflow(id);
            // The engine finished the whole workflow while both listeners were stuck.
            assertThat(orchestrator.getWorkflowStatus(id).state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(blocked.missedEvents()).isPositive();
            release.countDown();
            long total = orchestrator.getWorkflowStatus(id).lastSequence();
            await().until(() -> slowWorkflowListener.size() == total);
            assertThat(slowWorkflowListener)
                    .extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total)
                            .boxed()
                            .toList());
            await().until(() -> missed.stream().mapToLong(Long::longValue).sum() == blocked.missedEvents());
            await().until(() -> slowGlobalListener.size() == total);
            assertThat(slowGlobalListener).isEqualTo(slowWorkflowListener);
        }
    }
}
