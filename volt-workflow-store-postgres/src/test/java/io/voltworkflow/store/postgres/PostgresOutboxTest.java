package io.voltworkflow.store.postgres;

import io.voltworkflow.core.outbox.DeliveryOutbox;
import io.voltworkflow.core.outbox.DeliveryOutboxContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox every store promises, in PostgreSQL: reopening is another store on the same schema. */
class PostgresOutboxTest extends DeliveryOutboxContractTest {
    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    @Override
    protected DeliveryOutbox outbox() {
        return db.open().outbox().orElseThrow();
    }

    @Override
    protected DeliveryOutbox reopen() {
        return db.open().outbox().orElseThrow();
    }
}
