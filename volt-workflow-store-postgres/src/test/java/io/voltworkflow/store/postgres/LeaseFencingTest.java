package io.voltworkflow.store.postgres;

import static io.voltworkflow.store.postgres.Events.completed;
import static io.voltworkflow.store.postgres.Events.log;
import static io.voltworkflow.store.postgres.Events.progress;
import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.LeaseLostException;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.WorkflowSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writes are fenced by the lease: two instances ("a" and "b"), each with its own store on one schema. The sequence
 * check alone lets a writer whose lease lapsed commit whenever its sequence happens to be next; the epoch does not.
 */
class LeaseFencingTest {
    private static final WorkflowId WF1 = WorkflowId.of("wf-1");
    private static final Duration LONG = Duration.ofMinutes(5);

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    private PostgresWorkflowStore storeA;
    private PostgresWorkflowStore storeB;
    private LeaseManager a;
    private LeaseManager b;

    @BeforeEach
    void openTwoInstances() {
        storeA = db.open();
        storeB = db.open();
        a = storeA.leases().orElseThrow();
        b = storeB.leases().orElseThrow();
    }

    @Test
    void everyAcquisitionTakesTheNextEpochButTakingAgainALiveLeaseKeepsIt() {
        a.tryAcquire(WF1, "a", LONG);
        assertThat(db.queryLong("SELECT lease_epoch FROM workflows")).isEqualTo(1);
        a.tryAcquire(WF1, "a", LONG);
        assertThat(db.queryLong("SELECT lease_epoch FROM workflows")).isEqualTo(1);
        a.release(WF1, "a");
        b.tryAcquire(WF1, "b", LONG);
        assertThat(db.queryLong("SELECT lease_epoch FROM workflows")).isEqualTo(2);
        expireLeases();
        b.tryAcquire(WF1, "b", LONG);
        assertThat(db.queryLong("SELECT lease_epoch FROM workflows")).isEqualTo(3);
    }

    @Test
    void aWriterWhoseLeaseExpiredCannotCommitEvenIfNobodyTookIt() {
        a.tryAcquire(WF1, "a", LONG);
        storeA.append(log("wf-1", 1, 2)).join();
        expireLeases();

        assertRefused(
                failure(storeA.append(List.of(progress("wf-1", 3)))),
                "workflow wf-1: the lease 'a' acquired at epoch 1 is no longer held (it expired)");
        assertThat(db.queryLong("SELECT max(sequence) FROM events")).isEqualTo(2);
    }

    @Test
    void aWriterWhoseLeasePassedOnCannotCommitThoughItsSequenceIsNext() {
        a.tryAcquire(WF1, "a", LONG);
        storeA.append(log("wf-1", 1, 2)).join();
        expireLeases();
        assertThat(b.tryAcquire(WF1, "b", LONG)).isTrue();

        // Before b wrote anything, a's sequence 3 is the next one: only the epoch tells it is stale.
        assertRefused(
                failure(storeA.append(List.of(progress("wf-1", 3)))),
                "the lease 'a' acquired at epoch 1 is no longer held (it passed to 'b' at epoch 2)");
        storeB.append(List.of(progress("wf-1", 3))).join();
        assertThat(db.query("SELECT owner || ' ' || last_sequence FROM workflows"))
                .containsExactly("b 3");
    }

    @Test
    void aCurrentWriterAppendsInOneStatementAndItsCommit() {
        a.tryAcquire(WF1, "a", LONG);
        long before = storeA.writeStatistics().roundTrips();

        storeA.append(log("wf-1", 1, 2)).join();

        assertThat(storeA.writeStatistics().roundTrips() - before).isEqualTo(2);
        assertThat(db.query("SELECT owner || ' ' || last_sequence FROM workflows"))
                .containsExactly("a 2");
    }

    @Test
    void theOneStatementAppendWritesNothingWhenOneOfItsWorkflowsWasFencedOff() {
        WorkflowId wf2 = WorkflowId.of("wf-2");
        a.tryAcquire(WF1, "a", LONG);
        a.tryAcquire(wf2, "a", LONG);
        storeA.append(log("wf-1", 1, 2)).join();
        expireLeases();
        assertThat(b.tryAcquire(WF1, "b", LONG)).isTrue();
        assertThat(a.tryAcquire(wf2, "a", LONG)).isTrue();

        // One append over both workflows: wf-2's part would pass the check on its own, so the statement updates its
        // row and inserts its events before the count tells that wf-1's did not.
        List<EventRecord> both = new ArrayList<>(log("wf-2", 1, 2));
        both.add(progress("wf-1", 3));
        assertRefused(
                failure(storeA.append(both)),
                "the lease 'a' acquired at epoch 1 is no longer held (it passed to 'b' at epoch 2)");

        assertThat(db.query("SELECT workflow_id || ' ' || last_sequence FROM workflows ORDER BY workflow_id"))
                .containsExactly("wf-1 2", "wf-2 0");
        assertThat(db.queryLong("SELECT count(*) FROM events WHERE workflow_id = 'wf-2'"))
                .isZero();
        storeA.append(log("wf-2", 1, 2)).join();
        storeB.append(List.of(progress("wf-1", 3))).join();
    }

    @Test
    void aWriterWithoutTheLeaseCannotWriteToALeasedWorkflow() {
        a.tryAcquire(WF1, "a", LONG);
        storeA.append(log("wf-1", 1, 2)).join();

        assertRefused(
                failure(storeB.append(List.of(progress("wf-1", 3)))),
                "workflow wf-1 is leased to 'a' (epoch 1) and this instance holds no lease on it");
    }

    @Test
    void aFinishedWorkflowGivesUpItsLeaseInTheTransactionThatFinishesIt() {
        a.tryAcquire(WF1, "a", LONG);
        storeA.append(log("wf-1", 1, 2)).join();
        storeA.append(List.of(completed("wf-1", 3))).join();

        assertThat(db.query("SELECT coalesce(owner, '-') || ' ' || state FROM workflows"))
                .containsExactly("- completed");
        assertThat(db.queryLong("SELECT count(*) FROM workflows WHERE lease_expires_at IS NOT NULL"))
                .isZero();
        // Not lost: given up. Nothing is renewed for a finished workflow.
        assertThat(a.renewAll("a", LONG)).isEmpty();
        // Its last owner may still record late events of its own epoch, as nobody acquired it since.
        storeA.append(List.of(progress("wf-1", 4))).join();
        b.tryAcquire(WF1, "b", LONG);
        assertRefused(
                failure(storeA.append(List.of(progress("wf-1", 5)))),
                "workflow wf-1 is leased to 'b' (epoch 2) and this instance holds no lease on it");
    }

    @Test
    void snapshotsAreFencedLikeAppends() {
        a.tryAcquire(WF1, "a", LONG);
        storeA.append(log("wf-1", 1, 3)).join();

        expireLeases();
        b.tryAcquire(WF1, "b", LONG);
        assertRefused(
                failure(storeA.saveSnapshot(snapshot(3))),
                "(it passed to 'b' at epoch 2), so this instance may not write to it; nothing of this snapshot was stored");
        storeB.saveSnapshot(snapshot(3)).join();
        assertThat(db.queryLong("SELECT sequence FROM snapshots")).isEqualTo(3);
    }

    private void expireLeases() {
        db.execute("UPDATE workflows SET lease_expires_at = now() - interval '1 second'");
    }

    private static WorkflowSnapshot snapshot(long sequence) {
        return new WorkflowSnapshot(WF1, sequence, Events.T0, "state".getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Throwable failure, String message) {
        assertThat(failure).isInstanceOf(LeaseLostException.class);
        assertThat(failure.getMessage()).contains(message);
        assertThat(((LeaseLostException) failure).workflowId()).isEqualTo(WF1);
    }

    private static Throwable failure(CompletableFuture<Void> write) {
        Throwable failure = write.handle((ok, e) -> e).join();
        assertThat(failure).as("the write was refused").isNotNull();
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
