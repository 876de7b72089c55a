package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.store.ControlRequests;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Control requests in the {@code control_requests} table. A lease holder takes the open requests of the workflows
 * whose live lease it holds in one statement that marks them taken ({@code FOR UPDATE SKIP LOCKED}: each request
 * goes to one taker); the instance that filed a request reads its outcome, or withdraws it while nobody took it.
 */
public final class PostgresControlRequests implements ControlRequests {
    private static final String SUBMIT = """
      INSERT INTO control_requests (workflow_id, action, reason, requested_by) VALUES (?, ?, ?, ?) RETURNING id""";
    private static final String TAKE = """
      UPDATE control_requests SET taken_by = ?
      WHERE id IN (SELECT r.id FROM control_requests r JOIN workflows w ON w.workflow_id = r.workflow_id
                   WHERE r.answered_at IS NULL AND r.taken_by IS NULL AND w.owner = ? AND w.lease_expires_at > now()
                   ORDER BY r.id FOR UPDATE OF r SKIP LOCKED)
      RETURNING id, workflow_id, action, reason""";
    private static final String ANSWER = """
      UPDATE control_requests SET answered_at = now(), applied = ?, from_state = ?, to_state = ?, message = ?
      WHERE id = ? AND answered_at IS NULL""";
    private static final String OUTCOME =
            "SELECT applied, from_state, to_state, message FROM control_requests WHERE id = ? AND answered_at IS NOT NULL";
    private static final String WITHDRAW = """
      UPDATE control_requests SET answered_at = now(), applied = false, message = 'withdrawn by the requester'
      WHERE id = ? AND taken_by IS NULL AND answered_at IS NULL""";

    private final Database database;

    public PostgresControlRequests(Database database) {
        this.database = database;
    }

    @Override
    public long submit(WorkflowId workflowId, Action action, @Nullable String reason, String requestedBy) {
        // Not repeated on a broken connection: a second row would be a second request.
        return database.once("file a control request for workflow " + workflowId, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(SUBMIT)) {
                insert.setString(1, workflowId.value());
                insert.setString(2, action.name().toLowerCase(Locale.ROOT));
                insert.setString(3, reason);
                insert.setString(4, requestedBy);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    @Override
    public List<Request> take(String owner) {
        // Not repeated on a broken connection either: requests taken by a lost answer would be taken twice.
        return database.once("take the control requests for " + owner, connection -> {
            try (PreparedStatement take = connection.prepareStatement(TAKE)) {
                take.setString(1, owner);
                take.setString(2, owner);
                List<Request> taken = new ArrayList<>();
                try (ResultSet rows = take.executeQuery()) {
                    while (rows.next()) {
                        taken.add(new Request(
                                rows.getLong(1),
                                new WorkflowId(rows.getString(2)),
                                Action.valueOf(rows.getString(3).toUpperCase(Locale.ROOT)),
                                rows.getString(4)));
                    }
                }
                taken.sort((a, b) -> Long.compare(a.id(), b.id()));
                return taken;
            }
        });
    }

    @Override
    public void answer(long requestId, Outcome outcome) {
        database.autoCommit("answer control request " + requestId, connection -> {
            try (PreparedStatement answer = connection.prepareStatement(ANSWER)) {
                answer.setBoolean(1, outcome.applied());
                answer.setString(
                        2, outcome.from() == null ? null : outcome.from().wireName());
                answer.setString(3, outcome.to() == null ? null : outcome.to().wireName());
                answer.setString(4, outcome.message());
                answer.setLong(5, requestId);
                return answer.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Outcome> outcome(long requestId) {
        return database.autoCommit("read control request " + requestId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(OUTCOME)) {
                query.setLong(1, requestId);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Outcome(
                            row.getBoolean(1), state(row.getString(2)), state(row.getString(3)), row.getString(4)));
                }
            }
        });
    }

    @Override
    public boolean withdraw(long requestId) {
        return database.autoCommit("withdraw control request " + requestId, connection -> {
            try (PreparedStatement withdraw = connection.prepareStatement(WITHDRAW)) {
                withdraw.setLong(1, requestId);
                return withdraw.executeUpdate() == 1;
            }
        });
    }

    private static @Nullable WorkflowState state(@Nullable String wireName) {
        return wireName == null ? null : WorkflowState.fromWireName(wireName);
    }
}
