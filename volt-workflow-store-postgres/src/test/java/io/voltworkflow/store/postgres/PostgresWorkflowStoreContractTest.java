package io.voltworkflow.store.postgres;

import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.core.store.WorkflowStoreContractTest;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The behaviour every store promises, on a real PostgreSQL. */
class PostgresWorkflowStoreContractTest extends WorkflowStoreContractTest {
    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    @Override
    protected WorkflowStore createStore() {
        return db.open();
    }

    @Override
    protected Optional<WorkflowStore> reopen(WorkflowStore store) {
        store.close();
        return Optional.of(db.open());
    }
}
