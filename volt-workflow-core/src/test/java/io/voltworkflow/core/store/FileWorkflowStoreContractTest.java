package io.voltworkflow.core.store;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class FileWorkflowStoreContractTest extends WorkflowStoreContractTest {
    @TempDir
    Path directory;

    @Override
    protected WorkflowStore createStore() {
        return new FileWorkflowStore(directory);
    }

    @Override
    protected Optional<WorkflowStore> reopen(WorkflowStore store) {
        store.close();
        return Optional.of(new FileWorkflowStore(directory));
    }
}
