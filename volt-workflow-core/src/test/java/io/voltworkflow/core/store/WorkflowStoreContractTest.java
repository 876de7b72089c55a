package io.voltworkflow.core.store;

import static io.voltworkflow.core.store.StoreFixtures.event;
import static io.voltworkflow.core.store.StoreFixtures.events;
import static io.voltworkflow.core.store.StoreFixtures.snapshot;
import static io.voltworkflow.core.store.StoreFixtures.timeOf;
import static io.voltworkflow.core.store.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WorkflowStore} promises. A store's test extends this class and says how to create the
 * store, and, if it is durable, how to reopen it on the same data (the durability tests are skipped otherwise).
 */
public abstract class WorkflowStoreContractTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    protected WorkflowStore store;

    /** A new, empty store. */
    protected abstract WorkflowStore createStore();

    /** Closes {@code store} and opens it again on the same data; empty for stores that keep nothing. */
    protected Optional<WorkflowStore> reopen(WorkflowStore store) {
        return Optional.empty();
    }

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void appendedEventsAreReadBackInOrderAndUnchanged() {
        List<EventRecord> written = events(workflow(1), 1, 20);
        durably(store.append(written.subList(0, 5)));
        durably(store.append(written.subList(5, 20)));

        assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(written);
    }

    @Test
    void readHonoursAfterSequenceAndLimit() {
        durably(store.append(events(workflow(1), 1, 10)));

        assertThat(store.read(workflow(1), 3, 4)).containsExactlyElementsOf(events(workflow(1), 4, 7));
        assertThat(store.read(workflow(1), 8, 100)).containsExactlyElementsOf(events(workflow(1), 9, 10));
        assertThat(store.read(workflow(1), 10, 100)).isEmpty();
    }

    @Test
    void unknownWorkflowHasNothing() {
        List<Object> visited = new ArrayList<>();

        store.replay(workflow(9), recordingVisitor(visited));

        assertThat(store.read(workflow(9), 0, 10)).isEmpty();
        assertThat(store.firstRetainedSequence(workflow(9))).isEqualTo(1);
        assertThat(visited).isEmpty();
    }

    @Test
    void aGapIsRefusedAndNamesTheExpectedSequence() {
        durably(store.append(events(workflow(1), 1, 2)));

        assertThat(store.append(List.of(event(workflow(1), 4))))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StoreException.class)
                .withMessageContaining("expected sequence 3 but got 4");
        assertThat(store.read(workflow(1), 0, 10)).containsExactlyElementsOf(events(workflow(1), 1, 2));
        durably(store.append(List.of(event(workflow(1), 3))));
    }

    @Test
    void aDuplicateAndAMissingFirstEventAreRefused() {
        durably(store.append(events(workflow(1), 1, 3)));

        assertThat(store.append(List.of(event(workflow(1), 3))))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StoreException.class);
        assertThat(store.append(List.of(event(workflow(2), 2))))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("expected sequence 1 but got 2");
        assertThat(store.read(workflow(1), 0, 10)).hasSize(3);
        assertThat(store.read(workflow(2), 0, 10)).isEmpty();
    }

    @Test
    void appendEachAcceptsOrRefusesEachBatchOnItsOwn() {
        durably(store.append(events(workflow(1), 1, 2)));

        List<CompletableFuture<Void>> stored = store.appendEach(List.of(
                events(workflow(1), 3, 4),
                List.of(event(workflow(2), 2)),
                events(workflow(3), 1, 2),
                List.of(event(workflow(2), 1)),
                List.of(event(workflow(1), 5))));

        assertThat(stored).hasSize(5);
        durably(stored.get(0));
        assertThat(stored.get(1))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StoreException.class)
                .withMessageContaining("expected sequence 1 but got 2");
        durably(stored.get(2));
        durably(stored.get(3));
        durably(stored.get(4));
        assertThat(store.read(workflow(1), 0, 10)).containsExactlyElementsOf(events(workflow(1), 1, 5));
        assertThat(store.read(workflow(2), 0, 10)).containsExactly(event(workflow(2), 1));
        assertThat(store.read(workflow(3), 0, 10)).containsExactlyElementsOf(events(workflow(3), 1, 2));
    }

    @Test
    void oneAppendMayMixWorkflows() {
        List<EventRecord> mixed = new ArrayList<>();
        for (int sequence = 1; sequence <= 4; sequence++) {
            mixed.add(event(workflow(1), sequence));
            mixed.add(event(workflow(2), sequence));
        }
        durably(store.append(mixed));

        assertThat(store.read(workflow(1), 0, 10)).containsExactlyElementsOf(events(workflow(1), 1, 4));
        assertThat(store.read(workflow(2), 0, 10)).containsExactlyElementsOf(events(workflow(2), 1, 4));
    }

    @Test
    void replayVisitsEachWorkflowsLatestSnapshotThenTheEventsAfterIt() {
        durably(store.append(events(workflow(1), 1, 10)));
        durably(store.append(events(workflow(2), 1, 3)));
        durably(store.saveSnapshot(snapshot(workflow(1), 4)));
        durably(store.saveSnapshot(snapshot(workflow(1), 7)));

        Map<WorkflowId, List<Object>> visits = replayAll(store);

        assertThat(visits.get(workflow(1))).first().satisfies(first -> assertSnapshot(first, workflow(1), 7));
        assertThat(visits.get(workflow(1)).subList(1, visits.get(workflow(1)).size()))
                .containsExactlyElementsOf(events(workflow(1), 8, 10));
        assertThat(visits.get(workflow(2))).containsExactlyElementsOf(events(workflow(2), 1, 3));
        List<Object> one = new ArrayList<>();
        store.replay(workflow(2), recordingVisitor(one));
        assertThat(one).isEqualTo(visits.get(workflow(2)));
    }

    @Test
    void compactionDropsOnlyOldEventsTheSnapshotCovers() {
        durably(store.append(events(workflow(1), 1, 10)));
        durably(store.append(events(workflow(2), 1, 10)));
        durably(store.saveSnapshot(snapshot(workflow(1), 8)));

        WorkflowStore.CompactionResult result = store.compact(timeOf(6));

        assertThat(result.eventsRemoved()).isEqualTo(5);
        assertThat(store.firstRetainedSequence(workflow(1))).isEqualTo(6);
        assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 6, 10));
        assertThat(store.firstRetainedSequence(workflow(2))).isEqualTo(1);
        assertThat(store.read(workflow(2), 0, 100)).containsExactlyElementsOf(events(workflow(2), 1, 10));
        List<Object> replayed = new ArrayList<>();
        store.replay(workflow(1), recordingVisitor(replayed));
        assertSnapshot(replayed.get(0), workflow(1), 8);
        assertThat(replayed.subList(1, replayed.size())).containsExactlyElementsOf(events(workflow(1), 9, 10));
        durably(store.append(List.of(event(workflow(1), 11))));
        assertThat(store.read(workflow(1), 10, 10)).containsExactly(event(workflow(1), 11));
    }

    @Test
    void aHealthyStoreVerifies() {
        durably(store.append(events(workflow(1), 1, 5)));
        durably(store.append(events(workflow(2), 1, 2)));
        durably(store.saveSnapshot(snapshot(workflow(1), 5)));

        StoreReport report = store.verify();

        assertThat(report.healthy()).as("problems: %s", report.problems()).isTrue();
        assertThat(report.records()).isEqualTo(7);
        assertThat(report.snapshots()).isEqualTo(1);
        assertThat(report.workflows()).isEqualTo(2);
    }

    @Test
    void concurrentAppendersKeepEveryWorkflowInOrder() throws Exception {
        List<WorkflowId> workflows = appendFromThreads(store, 8, 5, 40);

        for (WorkflowId id : workflows) {
            assertThat(store.read(id, 0, 1000)).containsExactlyElementsOf(events(id, 1, 40));
        }
    }

    @Test
    void aReopenedStoreHasEverythingAndContinuesTheSequences() {
        durably(store.append(events(workflow(1), 1, 6)));
        durably(store.append(events(workflow(2), 1, 2)));
        durably(store.saveSnapshot(snapshot(workflow(1), 4)));
        Map<WorkflowId, List<Object>> before = replayAll(store);

        Optional<WorkflowStore> reopened = reopen(store);
        assumeThat(reopened).as("store is durable").isPresent();
        store = reopened.get();

        assertThat(replayAll(store)).isEqualTo(before);
        assertThat(store.read(workflow(1), 0, 10)).containsExactlyElementsOf(events(workflow(1), 1, 6));
        durably(store.append(List.of(event(workflow(1), 7))));
        assertThat(store.append(List.of(event(workflow(2), 4))))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("expected sequence 3");
    }

    @Test
    void compactionSurvivesReopening() {
        durably(store.append(events(workflow(1), 1, 10)));
        durably(store.saveSnapshot(snapshot(workflow(1), 10)));
        store.compact(timeOf(100));

        Optional<WorkflowStore> reopened = reopen(store);
        assumeThat(reopened).as("store is durable").isPresent();
        store = reopened.get();

        List<Object> replayed = new ArrayList<>();
        store.replay(workflow(1), recordingVisitor(replayed));
        assertThat(replayed).hasSize(1);
        assertSnapshot(replayed.get(0), workflow(1), 10);
        assertThat(store.read(workflow(1), 0, 10)).isEmpty();
        assertThat(store.firstRetainedSequence(workflow(1))).isEqualTo(11);
        durably(store.append(List.of(event(workflow(1), 11))));
    }

    /**
     * {@code threads} threads each append {@code eventsPerWorkflow} events, one per call, to their own
     * {@code workflowsPerThread} workflows, round-robin, then wait until all are durable. Returns the workflows.
     */
    protected static List<WorkflowId> appendFromThreads(
            WorkflowStore store, int threads, int workflowsPerThread, int eventsPerWorkflow) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<WorkflowId> workflows = new ArrayList<>();
        try {
            List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<WorkflowId> own = new ArrayList<>();
                for (int w = 0; w < workflowsPerThread; w++) {
                    own.add(workflow(t * 1000 + w));
                }
                workflows.addAll(own);
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> futures = new ArrayList<>();
                    for (int sequence = 1; sequence <= eventsPerWorkflow; sequence++) {
                        for (WorkflowId id : own) {
                            futures.add(store.append(List.of(event(id, sequence))));
                        }
                    }
                    return futures;
                }));
            }
            for (Future<List<CompletableFuture<Void>>> futures : submitted) {
                futures.get().forEach(WorkflowStoreContractTest::durably);
            }
        } finally {
            pool.shutdownNow();
        }
        return workflows;
    }

    protected static void durably(CompletableFuture<Void> future) {
        assertThat(future).succeedsWithin(WAIT);
    }

    protected static Map<WorkflowId, List<Object>> replayAll(WorkflowStore store) {
        Map<WorkflowId, List<Object>> visits = new LinkedHashMap<>();
        store.replay(new WorkflowStore.ReplayVisitor() {
            @Override
            public void snapshot(WorkflowSnapshot snapshot) {
                visits.computeIfAbsent(snapshot.workflowId(), id -> new ArrayList<>())
                        .add(new SnapshotView(snapshot));
            }

            @Override
            public void event(EventRecord record) {
                visits.computeIfAbsent(record.workflowId(), id -> new ArrayList<>())
                        .add(record);
            }
        });
        return visits;
    }

    protected static WorkflowStore.ReplayVisitor recordingVisitor(List<Object> visited) {
        return new WorkflowStore.ReplayVisitor() {
            @Override
            public void snapshot(WorkflowSnapshot snapshot) {
                visited.add(new SnapshotView(snapshot));
            }

            @Override
            public void event(EventRecord record) {
                visited.add(record);
            }
        };
    }

    private static void assertSnapshot(Object visit, WorkflowId id, long sequence) {
        assertThat(visit).isEqualTo(new SnapshotView(snapshot(id, sequence)));
    }

    /** A snapshot compared by content (records compare arrays by identity). */
    private record SnapshotView(WorkflowId workflowId, long sequence, java.time.Instant takenAt, String state) {
        SnapshotView(WorkflowSnapshot snapshot) {
            this(
                    snapshot.workflowId(),
                    snapshot.sequence(),
                    snapshot.takenAt(),
                    new String(snapshot.state(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
