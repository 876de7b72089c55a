package io.voltworkflow.core.store;

import static io.voltworkflow.core.store.StoreFixtures.event;
import static io.voltworkflow.core.store.StoreFixtures.events;
import static io.voltworkflow.core.store.StoreFixtures.workflow;
import static io.voltworkflow.core.store.WorkflowStoreContractTest.durably;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.internal.store.Segment;
import io.voltworkflow.core.model.WorkflowId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening a damaged store directory recovers, and that damage never turns into wrong data. */
class FileWorkflowStoreRecoveryTest {
  private static final int WORKFLOWS = 3;
  private static final int EVENTS = 12;

  @TempDir Path directory;

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
          assertThat(report.problems()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
              .contains(segment.getFileName() + " offset " + lastFrame + ": torn tail of " + (cut - lastFrame));
        }
        assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 1, EVENTS - 1));
        assertThat(store.verify().healthy()).isTrue();
        durably(store.append(List.of(event(workflow(1), EVENTS))));
      }
      assertThat(Files.exists(segment)).isTrue();
    }
  }

  @Test
  void aFlippedBitIsReportedAtItsRecordAndNeverReturnsWrongData() {
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

      try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
        assertThat(store.openReport().problems()).as("bit %d", bit)
            .anySatisfy(problem -> assertThat(problem).contains("offset " + damagedFrame + ":"));
        for (int w = 1; w <= WORKFLOWS; w++) {
          assertOnlyTrueEvents(store, workflow(w));
        }
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
      assertThat(report.problems()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains(segment.getFileName() + " offset " + victim + ":").contains("checksum mismatch");
    }
  }

  @Test
  void eventsAfterALostOneAreWithheldAndTheWorkflowCarriesOnFromTheLastGoodOne() {
    writeInterleavedWorkflows();
    Path segment = FileStoreFiles.onlySegment(directory);
    List<Integer> frames = FileStoreFiles.frameOffsets(segment);
    // Frames interleave workflows 1,2,3,1,2,3,...: frame 6 is workflow 1's third event.
    FileStoreFiles.flipBit(segment, (frames.get(6) + 30) * 8L);

    try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
      assertThat(store.openReport().problems())
          .anySatisfy(problem -> assertThat(problem).contains("offset " + frames.get(6)))
          .anySatisfy(problem -> assertThat(problem).contains("event 4 of workflow wf-1 withheld"));
      assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 1, 2));
      assertThat(store.read(workflow(2), 0, 100)).containsExactlyElementsOf(events(workflow(2), 1, EVENTS));
      durably(store.append(events(workflow(1), 3, 5)));
    }
    try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
      assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 1, 5));
      store.compact(StoreFixtures.EPOCH);
    }
    try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
      assertThat(store.openReport().problems()).isEmpty();
      assertThat(store.read(workflow(1), 0, 100)).containsExactlyElementsOf(events(workflow(1), 1, 5));
      assertThat(store.read(workflow(3), 0, 100)).containsExactlyElementsOf(events(workflow(3), 1, EVENTS));
    }
  }

  @Test
  void aDamagedSegmentHeaderRefusesToOpenAndNamesTheFile() {
    writeInterleavedWorkflows();
    Path segment = FileStoreFiles.onlySegment(directory);
    FileStoreFiles.flipBit(segment, 2 * 8 + 1);

    assertThatThrownBy(() -> new FileWorkflowStore(directory))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(segment.toString())
        .hasMessageContaining("valid segment header");
    FileStoreFiles.flipBit(segment, 2 * 8 + 1);
    try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
      assertThat(store.openReport().healthy()).isTrue();
    }
  }

  @Test
  void aSegmentWhoseCreationWasInterruptedIsRemoved() throws Exception {
    writeInterleavedWorkflows();
    Path unfinished = Segment.pathOf(directory, 2);
    Files.write(unfinished, new byte[] {'V', 'O', 'L'});

    try (FileWorkflowStore store = new FileWorkflowStore(directory)) {
      assertThat(store.openReport().truncatedBytes()).isEqualTo(3);
      assertThat(store.openReport().problems()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
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

  /** Whatever the store returns is the true event at that sequence, and sequences have no gap. */
  private static void assertOnlyTrueEvents(FileWorkflowStore store, WorkflowId id) {
    List<EventRecord> read = store.read(id, 0, 100);
    assertThat(read).containsExactlyElementsOf(events(id, 1, read.size()));
    Map<WorkflowId, List<Object>> replayed = WorkflowStoreContractTest.replayAll(store);
    assertThat(replayed.getOrDefault(id, List.of())).containsExactlyElementsOf(read);
  }
}
