package io.voltworkflow.core.store;

class InMemoryWorkflowStoreTest extends WorkflowStoreContractTest {
    @Override
    protected WorkflowStore createStore() {
        return new InMemoryWorkflowStore();
    }
}
