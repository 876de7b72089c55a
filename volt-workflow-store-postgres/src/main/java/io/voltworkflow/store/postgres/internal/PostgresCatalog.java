package io.voltworkflow.store.postgres.internal;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.store.WorkflowCatalog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists from the workflows table: every stored workflow, whichever instance runs it. States and labels are
 * filtered in SQL (labels by containment, which the GIN index serves), newest first, one page per query.
 */
public final class PostgresCatalog implements WorkflowCatalog {
    private final Database database;

    public PostgresCatalog(Database database) {
        this.database = database;
    }

    @Override
    public List<WorkflowId> list(WorkflowQuery query) {
        StringBuilder sql = new StringBuilder("SELECT workflow_id FROM workflows WHERE last_sequence > 0");
        List<Object> parameters = new ArrayList<>();
        if (!query.states().isEmpty()) {
            sql.append(" AND state = ANY (?::text[])");
            parameters.add(query.states().stream().map(WorkflowState::wireName).toArray(String[]::new));
        }
        if (query.labelKey() != null && query.labelValue() != null) {
            sql.append(" AND labels @> jsonb_build_object(?::text, ?::text)");
            parameters.add(query.labelKey());
            parameters.add(query.labelValue());
        } else if (query.labelKey() != null) {
            sql.append(" AND jsonb_exists(labels, ?)");
            parameters.add(query.labelKey());
        }
        sql.append(" ORDER BY created_at DESC, workflow_id OFFSET ? LIMIT ?");
        parameters.add(query.offset());
        parameters.add(query.limit());
        return database.autoCommit("list workflows", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    Object parameter = parameters.get(i);
                    if (parameter instanceof String[] values) {
                        statement.setArray(i + 1, connection.createArrayOf("text", values));
                    } else {
                        statement.setObject(i + 1, parameter);
                    }
                }
                List<WorkflowId> ids = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(new WorkflowId(rows.getString(1)));
                    }
                }
                return ids;
            }
        });
    }
}
