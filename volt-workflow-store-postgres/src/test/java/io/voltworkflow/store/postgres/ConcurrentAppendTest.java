package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConcurrentAppendTest {
    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    @Test
    void concurrentAppendersShareCommitsAndLoseNothing() throws Exception {
        PostgresWorkflowStore store = db.open();
        int threads = 8;
        int workflowsPerThread = 10;
        int eventsPerWorkflow = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int sequence = 1; sequence <= eventsPerWorkflow; sequence++) {
                        for (int w = 0; w < workflowsPerThread; w++) {
                            store.append(List.of(Events.log("wf-" + thread + "-" + w, sequence, sequence)
                                            .get(0)))
                                    .join();
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }

        int appends = threads * workflowsPerThread * eventsPerWorkflow;
        for (int t = 0; t < threads; t++) {
            for (int w = 0; w < workflowsPerThread; w++) {
                assertThat(Events.sequences(store.read(WorkflowId.of("wf-" + t + "-" + w), 0, 100)))
                        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            }
        }
        assertThat(store.verify().problems()).isEmpty();
        assertThat(store.writeStatistics().rows()).isEqualTo(appends);
        // Appends that arrive while a transaction is in flight share the next one.
        assertThat(store.writeStatistics().commits()).isLessThan(appends);
    }

    @Test
    void whenTheQueueIsFullAppendersWaitAndNothingIsDropped() {
        // One record per transaction and room for 16 queued: most of these appends wait for room.
        PostgresWorkflowStore store = db.track(
                PostgresWorkflowStore.open(db.options().maxBatchRecords(1).build()));
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        for (int sequence = 1; sequence <= 200; sequence++) {
            appends.add(store.append(Events.log("wf-1", sequence, sequence)));
        }

        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).join();
        assertThat(store.read(WorkflowId.of("wf-1"), 0, 1000)).isEqualTo(Events.log("wf-1", 1, 200));
        assertThat(store.writeStatistics().commits()).isEqualTo(200);
    }

    /**
     * Two instances that both believe they own the same workflows (a split brain the leases exist to prevent):
     * each keeps appending, re-reading the log after every refusal. Every accepted record must be stored exactly
     * as its writer sent it, every refusal must be a clear conflict, and the logs must stay gap-free.
     */
    @Test
    void twoWritersRacingOnTheSameWorkflowsNeitherDuplicateNorLoseAcceptedEvents() throws Exception {
        List<PostgresWorkflowStore> instances = List.of(db.open(), db.open());
        int workflows = 10;
        int target = 20;
        Map<String, String> acceptedWriterByPosition = new ConcurrentHashMap<>();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(instances.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                PostgresWorkflowStore store = instances.get(i);
                String writer = "writer-" + i;
                done.add(pool.submit(() -> {
                    for (int w = 0; w < workflows; w++) {
                        WorkflowId id = WorkflowId.of("wf-" + w);
                        long next = 1;
                        while (next <= target) {
                            EventRecord record =
                                    Events.record(id.value(), next, new WorkflowEvent.StepProgress("build", writer));
                            try {
                                store.append(List.of(record)).join();
                                acceptedWriterByPosition.put(id + "@" + next, writer);
                                next++;
                            } catch (CompletionException e) {
                                assertThat(e.getCause()).isInstanceOf(StoreException.class);
                                refusals.add(e.getCause().getMessage());
                                List<EventRecord> stored = store.read(id, 0, 1000);
                                next = stored.isEmpty()
                                        ? 1
                                        : stored.get(stored.size() - 1).sequence() + 1;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }

        PostgresWorkflowStore reader = instances.get(0);
        for (int w = 0; w < workflows; w++) {
            WorkflowId id = WorkflowId.of("wf-" + w);
            List<EventRecord> stored = reader.read(id, 0, 1000);
            assertThat(Events.sequences(stored))
                    .hasSize(target)
                    .doesNotHaveDuplicates()
                    .isSorted();
            for (EventRecord record : stored) {
                assertThat(((WorkflowEvent.StepProgress) record.event()).message())
                        .isEqualTo(acceptedWriterByPosition.get(id + "@" + record.sequence()));
            }
        }
        assertThat(acceptedWriterByPosition).hasSize(workflows * target);
        assertThat(refusals).allSatisfy(message -> assertThat(message).contains("another writer has already stored"));
        assertThat(reader.verify().problems()).isEmpty();
    }
}
