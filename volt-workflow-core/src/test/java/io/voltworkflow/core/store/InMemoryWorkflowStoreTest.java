package io.voltworkflow.core.store;

import static io.voltworkflow.core.store.StoreFixtures.event;
import static io.voltworkflow.core.store.StoreFixtures.events;
import static io.voltworkflow.core.store.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InMemoryWorkflowStoreTest extends WorkflowStoreContractTest {
    @Override
    protected WorkflowStore createStore() {
        return new InMemoryWorkflowStore();
    }

    @Test
    void aBatchMixingWorkflowsIsCheckedPerWorkflowAndRefusedWhole() {
        InMemoryWorkflowStore store = new InMemoryWorkflowStore();
        store.append(events(workflow(1), 1, 2)).join();

        List<EventRecord> gap =
                List.of(event(workflow(1), 3), event(workflow(2), 1), event(workflow(1), 5), event(workflow(2), 2));
        assertThat(store.append(gap))
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StoreException.class)
                .withMessageContaining("expected sequence 4 but got 5");
        assertThat(store.read(workflow(1), 0, 10)).containsExactlyElementsOf(events(workflow(1), 1, 2));
        assertThat(store.read(workflow(2), 0, 10)).isEmpty();

        store.append(List.of(event(workflow(1), 3), event(workflow(2), 1), event(workflow(1), 4)))
                .join();
        assertThat(store.read(workflow(1), 0, 10)).containsExactlyElementsOf(events(workflow(1), 1, 4));
        assertThat(store.read(workflow(2), 0, 10)).containsExactly(event(workflow(2), 1));
    }
}
