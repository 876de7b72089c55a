package io.voltworkflow.core.store;

import static io.voltworkflow.core.store.StoreFixtures.event;
import static io.voltworkflow.core.store.StoreFixtures.events;
import static io.voltworkflow.core.store.StoreFixtures.snapshot;
import static io.voltworkflow.core.store.StoreFixtures.timeOf;
import static io.voltworkflow.core.store.StoreFixtures.workflow;
import static io.voltworkflow.core.store.WorkflowStoreContractTest.durably;
import static io.voltworkflow.core.store.WorkflowStoreContractTest.replayAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.internal.store.Segment;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.file.FileStoreOptions;
import io.voltworkflow.core.store.file.FileStoreStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-store behaviour beyond the contract: locking, segments, group commit, compaction's crash safety. */
class FileWorkflowStoreTest {
    @TempDir
    Path directory;

    @Test
    void aSecondStoreCannotOpenADirectoryInUse() {
        try (FileWorkflowStore first = new FileWorkflowStore(directory)) {
            durably(first.append(events(workflow(1), 1, 3)));

            assertThatThrownBy(() -> new FileWorkflowStore(directory))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("store directory " + directory + " is already in use by process "
                            + ProcessHandle.current().pid());
            assertThat(first.read(workflow(1), 0, 10)).hasSize(3);
        }
        try (FileWorkflowStore second = new FileWorkflowStore(directory)) {
            assertThat(second.read(workflow(1), 0, 10)).hasSize(3);
        }
    }

    @Test
    void anotherProcessCannotOpenADirectoryInUseButCanOnceItIsReleased() throws Exception {
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            durably(store.append(events(workflow(1), 1, 3)));

            assertThat(runInAnotherProcess(OpenStoreProcess.class, directory.toString()))
                    .startsWith("refused: store directory " + directory + " is already in use by process "
                            + ProcessHandle.current().pid());
        }
        assertThat(runInAnotherProcess(OpenStoreProcess.class, directory.toString()))
                .isEqualTo("opened 1 workflows");
    }

    private static String runInAnotherProcess(Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("exit code; output: %s", output).isZero();
        return output.trim();
    }

    @Test
    void groupCommitAcknowledgesEveryAppendOfManyThreadsAndAllOfThemSurviveReopening() throws Exception {
        List<WorkflowId> workflows;
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            workflows = WorkflowStoreContractTest.appendFromThreads(store, 16, 20, 10);

            FileStoreStatistics statistics = store.statistics();
            assertThat(statistics.records()).isEqualTo(16 * 20 * 10);
            assertThat(statistics.commits()).isBetween(1L, statistics.records());
            assertThat(statistics.bytesWritten())
                    .isEqualTo(Files.size(FileStoreFiles.onlySegment(directory)) - Segment.HEADER_BYTES);
        }
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertThat(store.openReport().workflows()).isEqualTo(workflows.size());
            for (WorkflowId id : workflows) {
                assertThat(store.read(id, 0, 100)).containsExactlyElementsOf(events(id, 1, 10));
            }
        }
    }

    @Test
    void aFullQueueMakesAppendersWaitWithoutLosingAnything() {
        FileStoreOptions options = FileStoreOptions.builder(directory)
                .queueCapacity(1)
                .maxBatchWrites(2)
                .build();
        try (FileWorkflowStore store = new FileWorkflowStore(options)) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int sequence = 1; sequence <= 200; sequence++) {
                futures.add(store.append(List.of(event(workflow(1), sequence))));
            }
            futures.forEach(WorkflowStoreContractTest::durably);
            assertThat(store.read(workflow(1), 0, 1000)).containsExactlyElementsOf(events(workflow(1), 1, 200));
        }
    }

    @Test
    void theLogRollsIntoNewSegmentsAndCompactionFoldsThemIntoOneBase() {
        FileStoreOptions options =
                FileStoreOptions.builder(directory).segmentBytes(4096).build();
        Map<WorkflowId, List<Object>> expected;
        try (FileWorkflowStore store = new FileWorkflowStore(options)) {
            for (int w = 1; w <= 10; w++) {
                durably(store.append(events(workflow(w), 1, 30)));
                durably(store.saveSnapshot(snapshot(workflow(w), 10)));
                durably(store.saveSnapshot(snapshot(workflow(w), 20)));
            }
            assertThat(FileStoreFiles.segments(directory)).hasSizeGreaterThan(5);

            WorkflowStore.CompactionResult result = store.compact(timeOf(15));

            assertThat(result.eventsRemoved()).isEqualTo(10 * 14);
            assertThat(result.bytesAfter()).isLessThan(result.bytesBefore());
            assertThat(FileStoreFiles.segments(directory))
                    .as("the base and a new, empty active segment")
                    .hasSize(2);
            assertThat(store.verify().healthy()).isTrue();
            assertThat(store.read(workflow(3), 0, 100)).containsExactlyElementsOf(events(workflow(3), 15, 30));
            durably(store.append(List.of(event(workflow(3), 31))));
            expected = replayAll(store);
        }
        try (FileWorkflowStore store = new FileWorkflowStore(options)) {
            assertThat(store.openReport().healthy()).isTrue();
            assertThat(replayAll(store)).isEqualTo(expected);
        }
    }

    @Test
    void aCompactionCutShortByACrashLeavesTheStoreAsItWasOrAsCompacted() throws Exception {
        FileStoreOptions options =
                FileStoreOptions.builder(directory).segmentBytes(4096).build();
        try (FileWorkflowStore store = new FileWorkflowStore(options)) {
            for (int sequence = 1; sequence <= 40; sequence++) {
                durably(store.append(List.of(event(workflow(1), sequence))));
            }
            durably(store.saveSnapshot(snapshot(workflow(1), 32)));
        }
        assertThat(FileStoreFiles.segments(directory)).hasSizeGreaterThan(2);
        Path beforeCompaction = directory.resolveSibling(directory.getFileName() + "-before");
        FileStoreFiles.copyDirectory(directory, beforeCompaction);
        Path base;
        try (FileWorkflowStore store = new FileWorkflowStore(options)) {
            store.compact(timeOf(100));
            base = FileStoreFiles.segments(directory).get(0);
        }

        // Crash before the rename: the unfinished base is discarded, the old segments are intact.
        Path crashedEarly = directory.resolveSibling(directory.getFileName() + "-early");
        FileStoreFiles.copyDirectory(beforeCompaction, crashedEarly);
        Files.copy(base, crashedEarly.resolve(base.getFileName() + ".compacting"));
        try (FileWorkflowStore store =
                new FileWorkflowStore(FileStoreOptions.builder(crashedEarly).build())) {
            assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 1, 40));
        }
        assertThat(crashedEarly.resolve(base.getFileName() + ".compacting")).doesNotExist();

        // Crash after the rename, before the older segments were deleted: the base wins.
        Path crashedLate = directory.resolveSibling(directory.getFileName() + "-late");
        FileStoreFiles.copyDirectory(beforeCompaction, crashedLate);
        Files.copy(base, crashedLate.resolve(base.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        try (FileWorkflowStore store =
                new FileWorkflowStore(FileStoreOptions.builder(crashedLate).build())) {
            assertThat(store.openReport().healthy()).isTrue();
            assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 33, 40));
            assertThat(store.firstRetainedSequence(workflow(1))).isEqualTo(33);
        }
        assertThat(FileStoreFiles.segments(crashedLate)).first().isEqualTo(crashedLate.resolve(base.getFileName()));
        assertThat(FileStoreFiles.segments(crashedLate))
                .allSatisfy(segment -> assertThat(Segment.numberOf(segment).orElseThrow())
                        .isGreaterThanOrEqualTo(Segment.numberOf(base).orElseThrow()));
    }

    @Test
    void appendsAndSnapshotsCarryOnWhileCompactionRuns() throws Exception {
        FileStoreOptions options =
                FileStoreOptions.builder(directory).segmentBytes(8192).build();
        int workflows = 6;
        int eventsPerWorkflow = 60;
        Map<WorkflowId, List<Object>> expected;
        try (FileWorkflowStore store = new FileWorkflowStore(options)) {
            ExecutorService appenders = Executors.newFixedThreadPool(workflows);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < workflows; w++) {
                    WorkflowId id = workflow(w);
                    running.add(appenders.submit(() -> {
                        for (int sequence = 1; sequence <= eventsPerWorkflow; sequence++) {
                            durably(store.append(List.of(event(id, sequence))));
                            if (sequence % 10 == 0) {
                                durably(store.saveSnapshot(snapshot(id, sequence)));
                            }
                        }
                    }));
                }
                int compactions = 0;
                while (!running.stream().allMatch(Future::isDone) || compactions == 0) {
                    store.compact(timeOf(eventsPerWorkflow / 2));
                    compactions++;
                    assertThat(store.verify().healthy()).isTrue();
                }
                for (Future<?> appender : running) {
                    appender.get();
                }
            } finally {
                appenders.shutdownNow();
            }
            store.compact(timeOf(eventsPerWorkflow / 2));
            for (int w = 0; w < workflows; w++) {
                WorkflowId id = workflow(w);
                assertThat(store.read(id, 0, 1000))
                        .containsExactlyElementsOf(events(id, store.firstRetainedSequence(id), eventsPerWorkflow));
                assertThat(store.firstRetainedSequence(id)).isEqualTo(eventsPerWorkflow / 2);
            }
            expected = replayAll(store);
        }
        try (FileWorkflowStore store = new FileWorkflowStore(options)) {
            assertThat(store.openReport().problems()).isEmpty();
            assertThat(replayAll(store)).isEqualTo(expected);
        }
    }

    @Test
    void anOlderSnapshotNeverReplacesANewerOne() {
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            durably(store.append(events(workflow(1), 1, 10)));
            durably(store.saveSnapshot(snapshot(workflow(1), 8)));
            store.compact(timeOf(100));
            durably(store.saveSnapshot(snapshot(workflow(1), 4)));

            assertThat(replayAll(store).get(workflow(1))).hasSize(3);
        }
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertThat(replayAll(store).get(workflow(1))).hasSize(3);
            assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 9, 10));
            durably(store.append(List.of(event(workflow(1), 11))));
        }
    }

    @Test
    void closeWritesEverythingAlreadyAppended() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            for (int sequence = 1; sequence <= 300; sequence++) {
                pending.add(store.append(List.of(event(workflow(1), sequence))));
            }
        }

        assertThat(pending)
                .allSatisfy(future -> assertThat(future).isCompleted().isNotCompletedExceptionally());
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertThat(store.read(workflow(1), 0, 1000)).containsExactlyElementsOf(events(workflow(1), 1, 300));
        }
    }

    @Test
    void aClosedStoreRefusesWorkClearly() {
        FileWorkflowStore store = new FileWorkflowStore(directory);
        durably(store.append(events(workflow(1), 1, 2)));
        store.close();
        store.close();

        assertThat(store.append(List.of(event(workflow(1), 3))))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("is closed");
        assertThatThrownBy(() -> store.read(workflow(1), 0, 10))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void optionsRefuseNonsense() {
        assertThatThrownBy(() -> FileStoreOptions.builder(directory).segmentBytes(100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentBytes must be between 4096");
        assertThatThrownBy(() -> FileStoreOptions.builder(directory).queueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity");
    }
}
