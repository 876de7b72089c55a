package io.voltworkflow.store.postgres;

import static io.voltworkflow.store.postgres.Events.completed;
import static io.voltworkflow.store.postgres.Events.log;
import static io.voltworkflow.store.postgres.Events.progress;
import static io.voltworkflow.store.postgres.Events.sequences;
import static io.voltworkflow.store.postgres.Events.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.StoreReport;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore.CompactionResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresWorkflowStoreTest {
    private static final WorkflowId WF1 = WorkflowId.of("wf-1");

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    @Test
    void appendedRecordsAreReadBackInOrderAfterASequence() {
        PostgresWorkflowStore store = db.open();
        List<EventRecord> records = log("wf-1", 1, 5);
        store.append(records.subList(0, 2)).join();
        store.append(records.subList(2, 5)).join();

        assertThat(store.read(WF1, 0, 100)).isEqualTo(records);
        assertThat(sequences(store.read(WF1, 2, 2))).containsExactly(3L, 4L);
        assertThat(store.read(WF1, 5, 10)).isEmpty();
        assertThat(store.read(WorkflowId.of("unknown"), 0, 10)).isEmpty();
    }

    @Test
    void oneAppendMayMixWorkflowsAndKeepsEachInOrder() {
        PostgresWorkflowStore store = db.open();
        store.append(List.of(started("wf-a", 1), started("wf-b", 1), progress("wf-a", 2), progress("wf-b", 2)))
                .join();

        assertThat(sequences(store.read(WorkflowId.of("wf-a"), 0, 10))).containsExactly(1L, 2L);
        assertThat(sequences(store.read(WorkflowId.of("wf-b"), 0, 10))).containsExactly(1L, 2L);
    }

    @Test
    void aSecondWriterContinuingFromAStaleSequenceIsRefusedByNameAndNothingOfItsAppendIsStored() {
        PostgresWorkflowStore first = db.open();
        PostgresWorkflowStore second = db.open();
        first.append(log("wf-1", 1, 3)).join();

        // The second instance still believes wf-1 ends at 1; its append also carries a new workflow.
        List<EventRecord> stale = new ArrayList<>(log("wf-1", 2, 2));
        stale.add(started("wf-2", 1));
        assertThatThrownBy(() -> second.append(stale).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("workflow wf-1: expected sequence 4 but got 2")
                .hasMessageContaining("another writer has already stored")
                .hasMessageContaining("nothing of this append was stored");

        assertThat(first.read(WF1, 0, 10)).isEqualTo(log("wf-1", 1, 3));
        assertThat(first.read(WorkflowId.of("wf-2"), 0, 10)).isEmpty();
        assertThat(first.verify().problems()).isEmpty();
    }

    @Test
    void anAppendThatWouldLeaveAGapIsRefused() {
        PostgresWorkflowStore store = db.open();
        store.append(log("wf-1", 1, 2)).join();

        assertThatThrownBy(() -> store.append(log("wf-1", 4, 4)).join())
                .cause()
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("workflow wf-1: expected sequence 3 but got 4, which would leave a gap");
        assertThatThrownBy(() -> store.append(log("wf-new", 2, 2)).join())
                .cause()
                .hasMessageContaining("workflow wf-new: expected sequence 1 but got 2, which would leave a gap");
        store.append(log("wf-1", 3, 3)).join();
        assertThat(sequences(store.read(WF1, 0, 10))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void theRecordsOfOneAppendMustBeConsecutivePerWorkflow() {
        PostgresWorkflowStore store = db.open();

        assertThat(store.append(List.of(started("wf-1", 1), progress("wf-1", 3))))
                .failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(StoreException.class)
                .withMessageContaining("must be consecutive, but sequence 3 follows 1");
        assertThat(store.read(WF1, 0, 10)).isEmpty();
    }

    @Test
    void replayVisitsEachWorkflowsLatestSnapshotThenTheEventsAfterIt() {
        PostgresWorkflowStore store = db.open();
        store.append(log("wf-a", 1, 4)).join();
        store.append(log("wf-b", 1, 2)).join();
        store.append(log("wf-c", 1, 3)).join();
        store.saveSnapshot(snapshot("wf-a", 2)).join();
        store.saveSnapshot(snapshot("wf-c", 3)).join();
        store.saveSnapshot(snapshot("wf-d", 0)).join();

        ReplayRecorder all = new ReplayRecorder();
        store.replay(all);
        assertThat(all.visits)
                .containsExactly(
                        "snapshot wf-a@2",
                        "event wf-a@3",
                        "event wf-a@4",
                        "event wf-b@1",
                        "event wf-b@2",
                        "snapshot wf-c@3",
                        "snapshot wf-d@0");

        ReplayRecorder one = new ReplayRecorder();
        store.replay(WorkflowId.of("wf-a"), one);
        assertThat(one.visits).containsExactly("snapshot wf-a@2", "event wf-a@3", "event wf-a@4");
        ReplayRecorder none = new ReplayRecorder();
        store.replay(WorkflowId.of("unknown"), none);
        assertThat(none.visits).isEmpty();
    }

    @Test
    void replayFetchesInWindowsSmallerThanTheLog() {
        PostgresWorkflowStore store =
                PostgresWorkflowStore.open(db.options().fetchSize(3).build());
        db.track(store);
        for (int w = 0; w < 5; w++) {
            store.append(log("wf-" + w, 1, 7)).join();
        }
        store.saveSnapshot(snapshot("wf-2", 5)).join();

        ReplayRecorder recorder = new ReplayRecorder();
        store.replay(recorder);
        assertThat(recorder.visits).hasSize(5 * 7 - 5 + 1).contains("snapshot wf-2@5", "event wf-2@6");
    }

    @Test
    void aSnapshotNeverReplacesANewerOne() {
        PostgresWorkflowStore store = db.open();
        store.append(log("wf-1", 1, 6)).join();
        store.saveSnapshot(snapshot("wf-1", 5)).join();
        store.saveSnapshot(snapshot("wf-1", 3)).join();

        ReplayRecorder recorder = new ReplayRecorder();
        store.replay(WF1, recorder);
        assertThat(recorder.visits).containsExactly("snapshot wf-1@5", "event wf-1@6");
    }

    @Test
    void snapshotStateAndTimeRoundTrip() {
        PostgresWorkflowStore store = db.open();
        WorkflowSnapshot saved = snapshot("wf-1", 0);
        store.saveSnapshot(saved).join();

        ReplayRecorder recorder = new ReplayRecorder();
        store.replay(WF1, recorder);
        assertThat(recorder.snapshots).singleElement().satisfies(s -> {
            assertThat(s.takenAt()).isEqualTo(saved.takenAt());
            assertThat(s.state()).isEqualTo(saved.state());
        });
    }

    @Test
    void compactionDropsOnlyOldEventsThatASnapshotCovers() {
        PostgresWorkflowStore store = db.open();
        store.append(log("wf-1", 1, 10)).join();
        store.append(log("wf-2", 1, 4)).join();
        store.saveSnapshot(snapshot("wf-1", 6)).join();

        // Events 1..4 are older than the cut-off (T0 + 5 s); 5 and 6 are covered but recent; wf-2 has no snapshot.
        CompactionResult result = store.compact(Events.T0.plusSeconds(5));

        assertThat(result.eventsRemoved()).isEqualTo(4);
        assertThat(result.bytesBefore()).isPositive();
        assertThat(store.firstRetainedSequence(WF1)).isEqualTo(5);
        assertThat(sequences(store.read(WF1, 0, 100))).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(store.firstRetainedSequence(WorkflowId.of("wf-2"))).isEqualTo(1);
        ReplayRecorder recorder = new ReplayRecorder();
        store.replay(WF1, recorder);
        assertThat(recorder.visits)
                .containsExactly("snapshot wf-1@6", "event wf-1@7", "event wf-1@8", "event wf-1@9", "event wf-1@10");
        assertThat(store.verify().problems()).isEmpty();
    }

    @Test
    void firstRetainedSequenceIsOneForUnknownWorkflowsAndPastTheEndWhenEverythingWasCompacted() {
        PostgresWorkflowStore store = db.open();
        assertThat(store.firstRetainedSequence(WF1)).isEqualTo(1);
        store.append(log("wf-1", 1, 3)).join();
        store.saveSnapshot(snapshot("wf-1", 3)).join();

        store.compact(Instant.MAX.minusSeconds(1));

        assertThat(store.firstRetainedSequence(WF1)).isEqualTo(4);
        assertThat(store.read(WF1, 0, 10)).isEmpty();
    }

    @Test
    void reopeningFindsEverythingAndAppliesNoMigrationTwice() {
        PostgresWorkflowStore first = PostgresWorkflowStore.open(db.options().build());
        first.append(log("wf-1", 1, 3)).join();
        first.close();

        PostgresWorkflowStore reopened = db.open();
        assertThat(reopened.read(WF1, 0, 10)).isEqualTo(log("wf-1", 1, 3));
        reopened.append(log("wf-1", 4, 4)).join();
        assertThat(db.query("SELECT version FROM schema_migrations"))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(
                                1, io.voltworkflow.store.postgres.internal.SchemaMigrator.latestVersion())
                        .mapToObj(String::valueOf)
                        .toList());
    }

    @Test
    void aSchemaNewerThanThisBuildIsRefusedWithoutChangingIt() {
        db.open().close();
        db.execute("INSERT INTO schema_migrations (version, description) VALUES (99, 'from the future')");

        assertThatThrownBy(() -> PostgresWorkflowStore.open(db.options().build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema '" + db.name() + "' is at version 99, newer than this build understands ("
                        + io.voltworkflow.store.postgres.internal.SchemaMigrator.latestVersion() + ")");
    }

    @Test
    void theWorkflowsTableFollowsLifecycleEvents() {
        PostgresWorkflowStore store = db.open();
        store.append(List.of(started("wf-1", 1), progress("wf-1", 2))).join();
        assertThat(db.query("SELECT state || ' ' || terminal || ' ' || last_sequence FROM workflows"))
                .containsExactly("running false 2");

        store.append(List.of(Events.record("wf-1", 3, new WorkflowEvent.WorkflowPaused("x")), progress("wf-1", 4)))
                .join();
        assertThat(db.query("SELECT state || ' ' || terminal || ' ' || last_sequence FROM workflows"))
                .containsExactly("paused false 4");

        store.append(List.of(completed("wf-1", 5))).join();
        assertThat(db.query("SELECT state || ' ' || terminal || ' ' || last_sequence FROM workflows"))
                .containsExactly("completed true 5");
    }

    @Test
    void verifyReportsGapsForeignPayloadsUndecodableBytesAndStaleSummaries() {
        PostgresWorkflowStore store = db.open();
        store.append(log("wf-1", 1, 5)).join();
        store.append(log("wf-2", 1, 2)).join();
        store.append(log("wf-3", 1, 2)).join();
        assertThat(store.verify()).isEqualTo(new StoreReport(9, 0, 3, 0, List.of()));

        db.execute("DELETE FROM events WHERE workflow_id = 'wf-1' AND sequence = 3");
        db.execute(
                "UPDATE events SET payload = convert_to('{not json', 'UTF8') WHERE workflow_id = 'wf-2' AND sequence = 2");
        db.execute(
                "UPDATE events SET payload = (SELECT payload FROM events WHERE workflow_id = 'wf-1' AND sequence = 1)"
                        + " WHERE workflow_id = 'wf-3' AND sequence = 1");
        db.execute("UPDATE workflows SET last_sequence = 7 WHERE workflow_id = 'wf-3'");

        StoreReport report = store.verify();
        assertThat(report.healthy()).isFalse();
        assertThat(report.records()).isEqualTo(8);
        assertThat(report.problems())
                .hasSize(4)
                .contains(
                        "workflow wf-1: events 3 to 3 are missing",
                        "workflow wf-3: its workflows row says the log ends at 7 but it ends at 2",
                        "workflow wf-3, event 1: the payload is event 1 of workflow wf-1");
        assertThat(report.problems())
                .anySatisfy(
                        problem -> assertThat(problem).startsWith("workflow wf-2, event 2: undecodable event record"));
    }

    @Test
    void aMissingOrUndecodableRowIsALossOfItsOwnWorkflowOnlyAndItsNumberStaysUsed() {
        PostgresWorkflowStore store = db.open();
        store.append(log("wf-1", 1, 4)).join();
        store.append(log("wf-2", 1, 3)).join();
        store.append(log("wf-3", 1, 2)).join();
        db.execute("DELETE FROM events WHERE workflow_id = 'wf-1' AND sequence = 2");
        db.execute(
                "UPDATE events SET payload = convert_to('{not json', 'UTF8') WHERE workflow_id = 'wf-2' AND sequence = 2");

        ReplayRecorder recorder = new ReplayRecorder();
        store.replay(recorder);
        assertThat(recorder.visits)
                .containsExactly(
                        "event wf-1@1",
                        "lost wf-1@2..4",
                        "event wf-2@1",
                        "lost wf-2@2..3",
                        "event wf-3@1",
                        "event wf-3@2");
        List<EventRecord> read = store.read(WorkflowId.of("wf-2"), 0, 10);
        assertThat(read).extracting(EventRecord::sequence).containsExactly(1L, 2L, 3L);
        assertThat(read.get(1).event())
                .isInstanceOfSatisfying(
                        io.voltworkflow.core.event.WorkflowEvent.HistoryLost.class,
                        lost -> assertThat(lost.reason()).contains("wf-2, event 2: undecodable event record"));
        assertThat(store.append(log("wf-2", 2, 2))).failsWithin(java.time.Duration.ofSeconds(30));
    }

    @Test
    void aClosedStoreRefusesWritesAndFinishesThoseItAccepted() {
        PostgresWorkflowStore store = PostgresWorkflowStore.open(db.options().build());
        List<java.util.concurrent.CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int w = 0; w < 20; w++) {
            accepted.add(store.append(log("wf-" + w, 1, 3)));
        }
        store.close();

        assertThat(accepted)
                .allSatisfy(future -> assertThat(future).isCompleted().isNotCompletedExceptionally());
        assertThatThrownBy(() -> store.append(log("wf-1", 4, 4)).join())
                .cause()
                .isInstanceOf(StoreException.class)
                .hasMessage("the PostgreSQL store is closed");
    }

    private static WorkflowSnapshot snapshot(String workflow, long sequence) {
        return new WorkflowSnapshot(
                WorkflowId.of(workflow),
                sequence,
                Events.T0.plusMillis(sequence),
                ("state after " + sequence).getBytes(StandardCharsets.UTF_8));
    }
}
