package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.LeaseManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Leases on the workflows table. Every comparison uses the database's clock ({@code now()}), so instances whose
 * clocks disagree still agree on who owns what. Renewal never revives a lease that expired, even when nobody took
 * it yet: its owner may have stalled long enough for another instance to start running the workflow, so it must
 * stop, and may then try to acquire the lease again.
 *
 * <p>Every acquisition takes the workflow's next {@code lease_epoch} (taking again a live lease one already holds
 * keeps it, so the holder's writes in flight stay valid); the writer checks it under the same row lock as the
 * sequence, so a writer whose lease expired or passed on cannot commit (see {@link HeldLeases}).
 */
public final class PostgresLeaseManager implements LeaseManager {
    // Inserts the row for a workflow that has no event yet, so a lease can be taken before the first append.
    private static final String ACQUIRE = """
      INSERT INTO workflows AS w (workflow_id, state, terminal, last_sequence, owner, lease_expires_at, lease_epoch)
      VALUES (?, 'created', false, 0, ?, now() + ? * interval '1 millisecond', 1)
      ON CONFLICT (workflow_id) DO UPDATE
      SET owner = excluded.owner, lease_expires_at = excluded.lease_expires_at,
          lease_epoch = CASE WHEN w.owner = excluded.owner AND w.lease_expires_at > now()
                             THEN w.lease_epoch ELSE w.lease_epoch + 1 END
      WHERE w.owner IS NULL OR w.owner = excluded.owner OR w.lease_expires_at <= now()
      RETURNING lease_epoch, greatest(w.last_sequence,
          coalesce((SELECT s.sequence FROM snapshots s WHERE s.workflow_id = w.workflow_id), 0))""";
    // Only the leases this process still holds: one it let go of locally (its database call failed) must expire.
    private static final String RENEW = """
      UPDATE workflows SET lease_expires_at = now() + ? * interval '1 millisecond'
      WHERE owner = ? AND lease_expires_at > now() AND workflow_id = ANY (?::text[]) RETURNING workflow_id""";
    private static final String RELEASE =
            "UPDATE workflows SET owner = NULL, lease_expires_at = NULL WHERE workflow_id = ? AND owner = ?";
    private static final String ORPHANED = """
      SELECT workflow_id FROM workflows
      WHERE NOT terminal AND last_sequence > 0 AND (owner IS NULL OR lease_expires_at <= now())
      ORDER BY created_at, workflow_id LIMIT ?""";

    private final Database database;
    /** What each owner in this process acquired, so renewAll can name the leases it lost and appends are fenced. */
    private final HeldLeases held;

    public PostgresLeaseManager(Database database, HeldLeases held) {
        this.database = database;
        this.held = held;
    }

    @Override
    public boolean tryAcquire(WorkflowId workflowId, String owner, Duration ttl) {
        return acquire(workflowId, owner, ttl).held();
    }

    /** One round trip: the statement that takes the lease also returns how far the workflow's records reach. */
    @Override
    public Acquisition acquire(WorkflowId workflowId, String owner, Duration ttl) {
        Objects.requireNonNull(workflowId, "workflowId");
        long ttlMillis = ttlMillis(ttl);
        requireOwner(owner);
        return database.autoCommit("acquire the lease of workflow " + workflowId, connection -> {
            try (PreparedStatement acquire = connection.prepareStatement(ACQUIRE)) {
                acquire.setString(1, workflowId.value());
                acquire.setString(2, owner);
                acquire.setLong(3, ttlMillis);
                try (ResultSet row = acquire.executeQuery()) {
                    if (!row.next()) {
                        return new Acquisition(false, OptionalLong.empty());
                    }
                    held.acquired(workflowId, new HeldLeases.Fence(owner, row.getLong(1)));
                    return new Acquisition(true, OptionalLong.of(row.getLong(2)));
                }
            }
        });
    }

    @Override
    public List<WorkflowId> renewAll(String owner, Duration ttl) {
        long ttlMillis = ttlMillis(ttl);
        requireOwner(owner);
        // Taken before renewing: a lease acquired meanwhile by another thread is not lost.
        Set<WorkflowId> heldBefore = held.heldBy(owner);
        Set<WorkflowId> renewed = database.autoCommit("renew the leases of " + owner, connection -> {
            try (PreparedStatement renew = connection.prepareStatement(RENEW)) {
                renew.setLong(1, ttlMillis);
                renew.setString(2, owner);
                renew.setArray(
                        3,
                        connection.createArrayOf(
                                "text",
                                heldBefore.stream().map(WorkflowId::value).toArray(String[]::new)));
                return new HashSet<>(workflowIds(renew));
            }
        });
        // A lease released or cleared by its workflow's completion meanwhile is not lost either: it is no longer held.
        List<WorkflowId> lost = heldBefore.stream()
                .filter(id -> !renewed.contains(id) && held.holds(id, owner))
                .sorted(Comparator.comparing(WorkflowId::value))
                .toList();
        lost.forEach(id -> held.forget(id, owner));
        return lost;
    }

    @Override
    public void release(WorkflowId workflowId, String owner) {
        Objects.requireNonNull(workflowId, "workflowId");
        requireOwner(owner);
        // A lease this process no longer holds has nothing to release: the transaction that finished its workflow
        // cleared it (the usual case, so finishing costs no round trip of its own), or it was lost and expires.
        if (!held.holds(workflowId, owner)) {
            return;
        }
        // Forgotten first: if the database cannot be told, the lease is no longer renewed and expires.
        held.forget(workflowId, owner);
        database.autoCommit("release the lease of workflow " + workflowId, connection -> {
            try (PreparedStatement release = connection.prepareStatement(RELEASE)) {
                release.setString(1, workflowId.value());
                release.setString(2, owner);
                return release.executeUpdate();
            }
        });
    }

    @Override
    public List<WorkflowId> orphaned(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return database.autoCommit("list orphaned workflows", connection -> {
            try (PreparedStatement query = connection.prepareStatement(ORPHANED)) {
                query.setInt(1, limit);
                return workflowIds(query);
            }
        });
    }

    private static List<WorkflowId> workflowIds(PreparedStatement query) throws SQLException {
        List<WorkflowId> ids = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(new WorkflowId(rows.getString(1)));
            }
        }
        return ids;
    }

    private static long ttlMillis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("lease ttl must be at least 1 ms, was " + ttl);
        }
        return ttl.toMillis();
    }

    private static void requireOwner(String owner) {
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("lease owner must not be blank");
        }
    }
}
