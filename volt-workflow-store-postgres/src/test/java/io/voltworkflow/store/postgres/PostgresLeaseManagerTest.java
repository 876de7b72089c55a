package io.voltworkflow.store.postgres;

import static io.voltworkflow.store.postgres.Events.completed;
import static io.voltworkflow.store.postgres.Events.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.LeaseManager;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances ("a" and "b"), each with its own store on one schema, as two servers on one database. */
class PostgresLeaseManagerTest {
    private static final WorkflowId WF1 = WorkflowId.of("wf-1");
    private static final WorkflowId WF2 = WorkflowId.of("wf-2");
    private static final Duration LONG = Duration.ofMinutes(5);

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    private PostgresWorkflowStore storeA;
    private LeaseManager a;
    private LeaseManager b;

    @BeforeEach
    void openTwoInstances() {
        storeA = db.open();
        a = storeA.leases().orElseThrow();
        b = db.open().leases().orElseThrow();
    }

    @Test
    void aLiveLeaseBelongsToOneOwnerWhoMayTakeItAgain() {
        storeA.append(log("wf-1", 1, 2)).join();

        assertThat(a.tryAcquire(WF1, "a", LONG)).isTrue();
        assertThat(b.tryAcquire(WF1, "b", LONG)).isFalse();
        assertThat(a.tryAcquire(WF1, "a", LONG)).isTrue();
        assertThat(db.query("SELECT owner FROM workflows")).containsExactly("a");
    }

    @Test
    void aLeaseMayBeTakenBeforeTheWorkflowsFirstEvent() {
        assertThat(a.tryAcquire(WF1, "a", LONG)).isTrue();
        assertThat(b.tryAcquire(WF1, "b", LONG)).isFalse();

        storeA.append(log("wf-1", 1, 3)).join();
        assertThat(db.query("SELECT owner || ' ' || last_sequence || ' ' || state FROM workflows"))
                .containsExactly("a 3 running");
    }

    @Test
    void takingALeaseSaysHowFarTheWorkflowsStoredRecordsReach() {
        assertThat(a.acquire(WF1, "a", LONG))
                .isEqualTo(new LeaseManager.Acquisition(true, OptionalLong.of(0)))
                .matches(LeaseManager.Acquisition::heldWithNothingStored);

        storeA.append(log("wf-1", 1, 3)).join();
        assertThat(a.acquire(WF1, "a", LONG)).isEqualTo(new LeaseManager.Acquisition(true, OptionalLong.of(3)));
        assertThat(b.acquire(WF1, "b", LONG)).isEqualTo(new LeaseManager.Acquisition(false, OptionalLong.empty()));
    }

    @Test
    void leasesLastTheirTtlOnTheDatabaseClock() {
        a.tryAcquire(WF1, "a", Duration.ofSeconds(90));

        // Measured by the server alone, so the instances' clocks play no part.
        long remainingMillis =
                db.queryLong("SELECT (extract(epoch FROM lease_expires_at - now()) * 1000)::bigint FROM workflows");
        assertThat(remainingMillis).isBetween(60_000L, 90_000L);
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsFormerOwnerLearnsItLostIt() {
        storeA.append(log("wf-1", 1, 2)).join();
        storeA.append(log("wf-2", 1, 2)).join();
        a.tryAcquire(WF1, "a", Duration.ofMillis(50));
        a.tryAcquire(WF2, "a", LONG);

        Await.until("a's 50 ms lease on wf-1 expires on the database clock", () -> b.tryAcquire(WF1, "b", LONG));

        assertThat(a.renewAll("a", LONG)).containsExactly(WF1);
        assertThat(a.renewAll("a", LONG)).isEmpty();
        assertThat(a.tryAcquire(WF1, "a", LONG)).isFalse();
        assertThat(db.query("SELECT workflow_id || ' ' || owner FROM workflows ORDER BY 1"))
                .containsExactly("wf-1 b", "wf-2 a");
    }

    @Test
    void renewalDoesNotReviveALeaseThatExpiredEvenIfNobodyTookIt() {
        storeA.append(log("wf-1", 1, 2)).join();
        a.tryAcquire(WF1, "a", LONG);
        db.execute("UPDATE workflows SET lease_expires_at = now() - interval '1 second'");

        assertThat(a.renewAll("a", LONG)).containsExactly(WF1);
        assertThat(a.orphaned(10)).containsExactly(WF1);
        assertThat(a.tryAcquire(WF1, "a", LONG)).isTrue();
        assertThat(a.renewAll("a", LONG)).isEmpty();
    }

    @Test
    void renewalExtendsEveryLiveLeaseOfItsOwnerOnly() {
        a.tryAcquire(WF1, "a", Duration.ofSeconds(30));
        b.tryAcquire(WF2, "b", Duration.ofSeconds(30));

        assertThat(a.renewAll("a", Duration.ofHours(1))).isEmpty();

        assertThat(db.query("SELECT workflow_id FROM workflows WHERE lease_expires_at > now() + interval '10 minutes'"))
                .containsExactly("wf-1");
    }

    @Test
    void aReleasedWorkflowIsOrphanedAndFreeForAnyone() {
        storeA.append(log("wf-1", 1, 2)).join();
        a.tryAcquire(WF1, "a", LONG);
        assertThat(b.orphaned(10)).isEmpty();

        b.release(WF1, "b");
        assertThat(b.orphaned(10)).isEmpty();
        a.release(WF1, "a");

        assertThat(b.orphaned(10)).containsExactly(WF1);
        assertThat(b.tryAcquire(WF1, "b", LONG)).isTrue();
        assertThat(a.renewAll("a", LONG)).isEmpty();
    }

    @Test
    void orphanedListsUnfinishedWorkflowsWithoutALiveOwnerOldestFirst() {
        storeA.append(log("wf-old", 1, 2)).join();
        storeA.append(log("wf-new", 1, 2)).join();
        storeA.append(log("wf-owned", 1, 2)).join();
        storeA.append(log("wf-expired", 1, 2)).join();
        storeA.append(List.of(Events.started("wf-done", 1), completed("wf-done", 2)))
                .join();
        a.tryAcquire(WorkflowId.of("wf-owned"), "a", LONG);
        a.tryAcquire(WorkflowId.of("wf-expired"), "a", LONG);
        a.tryAcquire(WorkflowId.of("wf-no-events"), "a", Duration.ofMillis(1));
        db.execute(
                "UPDATE workflows SET lease_expires_at = now() - interval '1 second' WHERE workflow_id = 'wf-expired'");
        db.execute("UPDATE workflows SET created_at = now() - interval '1 hour' WHERE workflow_id = 'wf-old'");
        db.execute("UPDATE workflows SET created_at = now() - interval '1 minute' WHERE workflow_id = 'wf-expired'");

        assertThat(b.orphaned(10)).extracting(WorkflowId::value).containsExactly("wf-old", "wf-expired", "wf-new");
        assertThat(b.orphaned(2)).extracting(WorkflowId::value).containsExactly("wf-old", "wf-expired");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> a.tryAcquire(WF1, " ", LONG)).hasMessage("lease owner must not be blank");
        assertThatThrownBy(() -> a.tryAcquire(WF1, "a", Duration.ZERO))
                .hasMessage("lease ttl must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> a.orphaned(0)).hasMessage("limit must be at least 1, was 0");
    }
}
