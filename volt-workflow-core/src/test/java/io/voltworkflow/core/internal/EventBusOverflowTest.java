package io.voltworkflow.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EventBusOverflowTest {
    private static final WorkflowId WORKFLOW = WorkflowId.of("wf-1");

    private final InMemoryWorkflowStore store = new InMemoryWorkflowStore();
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Long> entered = new LinkedBlockingQueue<>();
    /** Events the listener stops at until the test lets it go on. */
    private final Map<Long, CountDownLatch> gates = Map.of(1L, new CountDownLatch(1), 2L, new CountDownLatch(1));

    /**
     * A queued event repairs the drops of its workflow that came before it; events dropped after it was queued must
     * stay owed, even when the workflow publishes nothing more that would reveal the jump.
     */
    @Test
    void eventsDroppedAfterAQueuedEventAreStillReadBackFromTheStore() throws Exception {
        try (EventBus bus = new EventBus(2, 1, true, store)) {
            Subscription subscription = bus.subscribe(record -> true, new GatedListener());
            publish(bus, 1, 1);
            assertThat(entered.poll(10, TimeUnit.SECONDS)).isEqualTo(1L);
            publish(bus, 2, 5); // 2 and 3 queued, 4 and 5 dropped
            gates.get(1L).countDown();
            assertThat(entered.poll(10, TimeUnit.SECONDS)).isEqualTo(2L);
            publish(bus, 6, 8); // 6 queued behind 3, then 7 and 8 dropped: the workflow's last events
            gates.get(2L).countDown();

            await().until(() -> received.size() >= 8 && bus.queuedEvents() == 0);
            assertThat(received)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, 8).boxed().toList());
            assertThat(subscription.missedEvents()).isEqualTo(4);
        }
    }

    /** Stores events {@code from..to} of the workflow, then publishes them, as the journal does. */
    private void publish(EventBus bus, long from, long to) {
        List<EventRecord> records = LongStream.rangeClosed(from, to)
                .mapToObj(sequence -> new EventRecord(
                        WORKFLOW,
                        sequence,
                        Instant.EPOCH,
                        new WorkflowEvent.WorkflowProgress((int) sequence, 8, "step " + sequence)))
                .toList();
        store.append(records).join();
        bus.publish(records);
    }

    private final class GatedListener implements EventListener {
        @Override
        public void onEvent(EventRecord event) {
            entered.add(event.sequence());
            CountDownLatch gate = gates.get(event.sequence());
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(event.sequence());
        }
    }
}
