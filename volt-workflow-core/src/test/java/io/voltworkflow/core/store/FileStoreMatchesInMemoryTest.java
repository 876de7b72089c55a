package io.voltworkflow.core.store;

import static io.voltworkflow.core.store.StoreFixtures.event;
import static io.voltworkflow.core.store.StoreFixtures.events;
import static io.voltworkflow.core.store.StoreFixtures.snapshot;
import static io.voltworkflow.core.store.StoreFixtures.timeOf;
import static io.voltworkflow.core.store.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.file.FileStoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random histories of appends (some refused), snapshots, compactions and reopenings, applied to the file store and
 * to the in-memory reference: after every step both hold the same thing. Seeds are fixed, so a failure replays.
 */
class FileStoreMatchesInMemoryTest {
    private static final int WORKFLOWS = 4;
    private static final int SEEDS = 25;
    private static final int OPERATIONS = 120;
    private static final int PARALLEL_HISTORIES = 8;

    @TempDir
    Path directory;

    @Test
    void randomHistoriesLeaveTheFileStoreWithWhatTheReferenceHolds() {
        // Each history has its own store directory; run side by side, their fsync waits overlap instead of adding up.
        ExecutorService histories = Executors.newFixedThreadPool(PARALLEL_HISTORIES);
        try {
            List<CompletableFuture<Void>> runs = LongStream.range(0, SEEDS)
                    .mapToObj(seed -> CompletableFuture.runAsync(
                            () -> replayHistory(seed, directory.resolve("seed-" + seed)), histories))
                    .toList();
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AssertionError failed) {
                throw failed;
            }
            throw e;
        } finally {
            histories.shutdownNow();
        }
    }

    private static void replayHistory(long seed, Path storeDirectory) {
        Random random = new Random(seed);
        FileStoreOptions options =
                FileStoreOptions.builder(storeDirectory).segmentBytes(4096).build();
        InMemoryWorkflowStore reference = new InMemoryWorkflowStore();
        FileWorkflowStore file = new FileWorkflowStore(options);
        long[] last = new long[WORKFLOWS];
        long[] snapshotted = new long[WORKFLOWS];
        try {
            for (int operation = 0; operation < OPERATIONS; operation++) {
                int w = random.nextInt(WORKFLOWS);
                WorkflowId id = workflow(w);
                String step = "seed " + seed + ", operation " + operation;
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3, 4 -> {
                        int count = 1 + random.nextInt(3);
                        List<EventRecord> batch = events(id, last[w] + 1, last[w] + count);
                        assertThat(accepted(file.append(batch))).as(step).isTrue();
                        assertThat(accepted(reference.append(batch))).as(step).isTrue();
                        last[w] += count;
                    }
                    case 5 -> {
                        long wrong = random.nextBoolean() ? last[w] + 2 : Math.max(1, last[w]);
                        boolean valid = wrong == last[w] + 1;
                        assertThat(accepted(file.append(List.of(event(id, wrong)))))
                                .as(step)
                                .isEqualTo(valid);
                        assertThat(accepted(reference.append(List.of(event(id, wrong)))))
                                .as(step)
                                .isEqualTo(valid);
                        last[w] += valid ? 1 : 0;
                    }
                    case 6 -> {
                        if (last[w] > snapshotted[w]) {
                            // Like the engine's, snapshots only move forward.
                            snapshotted[w] += 1 + random.nextInt((int) (last[w] - snapshotted[w]));
                            file.saveSnapshot(snapshot(id, snapshotted[w])).join();
                            reference.saveSnapshot(snapshot(id, snapshotted[w])).join();
                        }
                    }
                    case 7 -> {
                        long cutoff = random.nextInt(40);
                        assertThat(file.compact(timeOf(cutoff)).eventsRemoved())
                                .as(step)
                                .isEqualTo(reference.compact(timeOf(cutoff)).eventsRemoved());
                    }
                    case 8 -> {
                        file.close();
                        file = new FileWorkflowStore(options);
                        assertThat(file.openReport().problems()).as(step).isEmpty();
                    }
                    default -> assertSameContent(file, reference, step);
                }
            }
            assertSameContent(file, reference, "seed " + seed + ", end");
            assertThat(file.verify().healthy()).isTrue();
        } finally {
            file.close();
        }
    }

    private static boolean accepted(CompletableFuture<Void> append) {
        return append.handle((ignored, error) -> error == null).join();
    }

    private static void assertSameContent(WorkflowStore file, WorkflowStore reference, String step) {
        for (int w = 0; w < WORKFLOWS; w++) {
            WorkflowId id = workflow(w);
            assertThat(file.read(id, 0, Integer.MAX_VALUE))
                    .as(step)
                    .isEqualTo(reference.read(id, 0, Integer.MAX_VALUE));
            assertThat(file.firstRetainedSequence(id)).as(step).isEqualTo(reference.firstRetainedSequence(id));
            List<Object> fromFile = new ArrayList<>();
            List<Object> fromReference = new ArrayList<>();
            file.replay(id, WorkflowStoreContractTest.recordingVisitor(fromFile));
            reference.replay(id, WorkflowStoreContractTest.recordingVisitor(fromReference));
            assertThat(fromFile).as(step).isEqualTo(fromReference);
        }
        assertThat(WorkflowStoreContractTest.replayAll(file))
                .as(step)
                .isEqualTo(WorkflowStoreContractTest.replayAll(reference));
    }
}
