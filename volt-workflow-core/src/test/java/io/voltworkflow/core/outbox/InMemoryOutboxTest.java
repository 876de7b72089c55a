package io.voltworkflow.core.outbox;

class InMemoryOutboxTest extends DeliveryOutboxContractTest {
    private InMemoryOutbox outbox;

    @Override
    protected DeliveryOutbox outbox() {
        outbox = new InMemoryOutbox();
        return outbox;
    }

    @Override
    protected DeliveryOutbox reopen() {
        return outbox;
    }
}
