package io.voltworkflow.core.store;

import static io.voltworkflow.core.store.StoreFixtures.event;
import static io.voltworkflow.core.store.StoreFixtures.events;
import static io.voltworkflow.core.store.StoreFixtures.workflow;
import static io.voltworkflow.core.store.WorkflowStoreContractTest.durably;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.internal.store.Segment;
import io.voltworkflow.core.model.WorkflowId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening a damaged store directory recovers, and that damage never turns into wrong data. */
class FileWorkflowStoreRecoveryTest {
    private static final int WORKFLOWS = 3;
    private static final int EVENTS = 12;

    @TempDir
    Path directory;

    @Test
    void aTailTornAtAnyByteIsCutOffAndEverythingBeforeItStaysReadable() {
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            for (long sequence = 1; sequence <= EVENTS; sequence++) {
                durably(store.append(List.of(event(workflow(1), sequence))));
            }
        }
        Path segment = FileStoreFiles.onlySegment(directory);
        byte[] whole = FileStoreFiles.read(segment);
        List<Integer> frames = FileStoreFiles.frameOffsets(segment);
        int lastFrame = frames.get(frames.size() - 1);

        for (int cut = lastFrame; cut < whole.length; cut++) {
            FileStoreFiles.write(segment, Arrays.copyOf(whole, cut));
            try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
                StoreReport report = store.openReport();
                assertThat(report.truncatedBytes()).as("cut at %d", cut).isEqualTo(cut - lastFrame);
                if (cut > lastFrame) {
                    assertThat(report.problems())
                            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                            .contains(segment.getFileName() + " offset " + lastFrame + ": torn tail of "
                                    + (cut - lastFrame));
                }
                assertThat(store.read(workflow(1), 0, 100))
                        .containsExactlyElementsOf(events(workflow(1), 1, EVENTS - 1));
                assertThat(store.verify().healthy()).isTrue();
                durably(store.append(List.of(event(workflow(1), EVENTS))));
            }
            assertThat(Files.exists(segment)).isTrue();
        }
    }

    @Test
    void aFlippedBitIsReportedAtItsRecordNamesTheLostEventAndNeverReturnsWrongData() {
        writeInterleavedWorkflows();
        Path segment = FileStoreFiles.onlySegment(directory);
        byte[] original = FileStoreFiles.read(segment);
        List<Integer> frames = FileStoreFiles.frameOffsets(segment);
        Random random = new Random(20261125);

        for (int trial = 0; trial < 150; trial++) {
            FileStoreFiles.write(segment, original);
            long bit = Segment.HEADER_BYTES * 8L + random.nextInt((original.length - Segment.HEADER_BYTES) * 8);
            FileStoreFiles.flipBit(segment, bit);
            int damagedFrame = FileStoreFiles.frameContaining(frames, bit / 8);
            // Frames interleave workflows 1,2,3,1,2,3,...
            int index = frames.indexOf(damagedFrame);
            WorkflowId victim = workflow(index % WORKFLOWS + 1);
            long lostSequence = index / WORKFLOWS + 1L;

            try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
                assertThat(store.openReport().problems())
                        .as("bit %d", bit)
                        .anySatisfy(problem -> assertThat(problem).contains("offset " + damagedFrame + ":"));
                DamageReport damage = store.damage();
                assertThat(damage.workflows()).as("bit %d", bit).singleElement().satisfies(w -> {
                    assertThat(w.workflowId()).isEqualTo(victim);
                    assertThat(w.lost()).singleElement().satisfies(range -> {
                        assertThat(range.from()).isEqualTo(lostSequence);
                        assertThat(range.to()).isEqualTo(lostSequence);
                        assertThat(range.certain()).isTrue();
                    });
                });
                assertThat(damage.unacknowledgedSkippedBytes()).isPositive();
                assertThat(store.verify().healthy()).isFalse();
                for (int w = 1; w <= WORKFLOWS; w++) {
                    assertOnlyTrueEvents(store, workflow(w));
                }
                // The lost number stays used, even when it was the workflow's last.
                assertThat(store.append(List.of(event(victim, lostSequence))))
                        .failsWithin(java.time.Duration.ofSeconds(10));
                durably(store.append(List.of(event(victim, EVENTS + 1))));
            }
            FileStoreFiles.write(segment, original);
        }
    }

    @Test
    void damageFoundWhileOpenIsRefusedOnReadAndReportedByVerify() {
        writeInterleavedWorkflows();
        Path segment = FileStoreFiles.onlySegment(directory);
        List<Integer> frames = FileStoreFiles.frameOffsets(segment);
        int victim = frames.get(4);

        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            FileStoreFiles.flipBit(segment, (victim + 20) * 8L + 3);

            assertThatThrownBy(() -> store.read(workflow(2), 0, 100))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("offset " + victim + ": corrupt record (checksum mismatch)");
            StoreReport report = store.verify();
            assertThat(report.healthy()).isFalse();
            assertThat(report.problems())
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains(segment.getFileName() + " offset " + victim + ":")
                    .contains("checksum mismatch");
        }
    }

    @Test
    void aLostEventIsAHoleInTheHistoryThatCompactionAndRestartsKeepUntilAcknowledged() {
        writeInterleavedWorkflows();
        Path segment = FileStoreFiles.onlySegment(directory);
        List<Integer> frames = FileStoreFiles.frameOffsets(segment);
        // Frames interleave workflows 1,2,3,1,2,3,...: frame 6 is workflow 1's third event.
        FileStoreFiles.flipBit(segment, (frames.get(6) + 30) * 8L);

        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertHoleAtThree(store, EVENTS);
            assertThat(store.read(workflow(2), 0, 100)).containsExactlyElementsOf(events(workflow(2), 1, EVENTS));
            assertThat(store.read(workflow(1), 2, 1))
                    .singleElement()
                    .satisfies(record -> assertThat(record.event()).isInstanceOf(WorkflowEvent.HistoryLost.class));
            durably(store.append(events(workflow(1), EVENTS + 1, EVENTS + 2)));
        }
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertHoleAtThree(store, EVENTS + 2);
            store.compact(StoreFixtures.EPOCH.plusSeconds(1_000_000));
            assertThat(store.verify().problems()).isEmpty();
            assertThat(store.verify().healthy()).isFalse();
        }
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertThat(store.openReport().problems()).isEmpty();
            assertHoleAtThree(store, EVENTS + 2);
            assertThat(store.read(workflow(3), 0, 100)).containsExactlyElementsOf(events(workflow(3), 1, EVENTS));
            store.acknowledgeDamage();
            assertThat(store.verify().healthy()).isTrue();
        }
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertThat(store.verify().healthy()).isTrue();
            assertThat(store.damage().workflows())
                    .singleElement()
                    .satisfies(w -> assertThat(w.acknowledged()).isTrue());
            assertHoleAtThree(store, EVENTS + 2);
        }
    }

    private static void assertHoleAtThree(FileWorkflowStore store, int last) {
        List<EventRecord> read = store.read(workflow(1), 0, 100);
        assertThat(read).hasSize(last);
        assertThat(read.subList(0, 2)).containsExactlyElementsOf(events(workflow(1), 1, 2));
        assertThat(read.get(2).sequence()).isEqualTo(3);
        assertThat(read.get(2).event())
                .isEqualTo(new WorkflowEvent.HistoryLost(
                        3, 3, true, ((WorkflowEvent.HistoryLost) read.get(2).event()).reason()));
        assertThat(read.subList(3, last)).containsExactlyElementsOf(events(workflow(1), 4, last));
        assertThat(store.damage().of(workflow(1)).lost())
                .singleElement()
                .satisfies(range -> assertThat(range.from()).isEqualTo(3));
        assertThat(store.damage().of(workflow(2))).isNull();
    }

    @Test
    void aDamagedSegmentHeaderIsReportedAndEveryRecordAfterItStaysReadable() throws Exception {
        writeInterleavedWorkflows();
        Path segment = FileStoreFiles.onlySegment(directory);
        FileStoreFiles.flipBit(segment, 2 * 8 + 1);

        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertThat(store.openReport().problems())
                    .anySatisfy(problem -> assertThat(problem)
                            .contains(segment.getFileName() + " offset 0")
                            .contains("damaged segment header"));
            assertThat(store.damage().workflows()).isEmpty();
            assertThat(store.damage().unacknowledgedSkippedBytes()).isEqualTo(Segment.HEADER_BYTES);
            for (int w = 1; w <= WORKFLOWS; w++) {
                assertThat(store.read(workflow(w), 0, 100)).containsExactlyElementsOf(events(workflow(w), 1, EVENTS));
            }
        }
        Files.write(segment, new byte[64], java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        assertThatThrownBy(() -> new FileWorkflowStore(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("not a Volt Workflow log");
    }

    @Test
    void aSegmentWhoseCreationWasInterruptedIsRemoved() throws Exception {
        writeInterleavedWorkflows();
        Path unfinished = Segment.pathOf(directory, 2);
        Files.write(unfinished, new byte[] {'V', 'O', 'L'});

        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            assertThat(store.openReport().truncatedBytes()).isEqualTo(3);
            assertThat(store.openReport().problems())
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("incomplete new segment");
            assertThat(store.read(workflow(3), 0, 100)).hasSize(EVENTS);
        }
        assertThat(unfinished).doesNotExist();
    }

    private void writeInterleavedWorkflows() {
        try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
            for (long sequence = 1; sequence <= EVENTS; sequence++) {
                List<EventRecord> round = new ArrayList<>();
                for (int w = 1; w <= WORKFLOWS; w++) {
                    round.add(event(workflow(w), sequence));
                }
                durably(store.append(round));
            }
        }
    }

    /**
     * Whatever the store returns is the true event at that sequence or a record of the loss, and sequences have no
     * gap; replay gives the events up to the first loss, then one record covering the rest.
     */
    private static void assertOnlyTrueEvents(FileWorkflowStore store, WorkflowId id) {
        List<EventRecord> read = store.read(id, 0, 100);
        long expected = 1;
        int firstLoss = -1;
        for (int i = 0; i < read.size(); i++) {
            EventRecord record = read.get(i);
            if (record.event() instanceof WorkflowEvent.HistoryLost lost) {
                assertThat(lost.fromSequence()).isEqualTo(expected);
                firstLoss = firstLoss < 0 ? i : firstLoss;
            } else {
                assertThat(record).isEqualTo(event(id, expected));
            }
            expected = record.sequence() + 1;
        }
        assertThat(expected - 1).isEqualTo(EVENTS);
        List<Object> replayed = WorkflowStoreContractTest.replayAll(store).getOrDefault(id, List.of());
        if (firstLoss < 0) {
            assertThat(replayed).containsExactlyElementsOf(read);
        } else {
            assertThat(replayed.subList(0, firstLoss)).containsExactlyElementsOf(read.subList(0, firstLoss));
            assertThat(((EventRecord) replayed.get(firstLoss)).sequence()).isEqualTo(EVENTS);
        }
    }
}
