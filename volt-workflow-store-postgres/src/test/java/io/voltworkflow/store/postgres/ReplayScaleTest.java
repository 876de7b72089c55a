package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.store.WorkflowSnapshot;
import io.voltworkflow.core.store.WorkflowStore.ReplayVisitor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ten thousand workflows written by concurrent appenders, as a busy server produces them, then replayed as a
 * restarting server does. Prints what it measured; asserts only correctness (timings depend on the machine).
 */
class ReplayScaleTest {
    private static final int WORKFLOWS = 10_000;
    private static final int EVENTS_PER_WORKFLOW = 5;
    private static final int APPENDERS = 16;

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    @Test
    void tenThousandWorkflowsAreWrittenByConcurrentAppendersAndReplayedInOrder() throws Exception {
        PostgresWorkflowStore store = db.open();

        long writeStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(APPENDERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int a = 0; a < APPENDERS; a++) {
                int appender = a;
                done.add(pool.submit(() -> {
                    // Each appender advances its workflows one event per append, several appends in flight at a time.
                    for (int sequence = 1; sequence <= EVENTS_PER_WORKFLOW; sequence++) {
                        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
                        for (int w = appender; w < WORKFLOWS; w += APPENDERS) {
                            inFlight.add(store.append(Events.log(String.format("wf-%05d", w), sequence, sequence)));
                        }
                        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                                .join();
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        long writeNanos = System.nanoTime() - writeStart;

        Counter counter = new Counter();
        long replayStart = System.nanoTime();
        store.replay(counter);
        long replayNanos = System.nanoTime() - replayStart;
        // A restarting server replays with a cold JIT; a second pass shows the steady state.
        long warmStart = System.nanoTime();
        store.replay(new Counter());
        long warmNanos = System.nanoTime() - warmStart;

        long events = (long) WORKFLOWS * EVENTS_PER_WORKFLOW;
        assertThat(counter.events).isEqualTo(events);
        assertThat(counter.workflows).isEqualTo(WORKFLOWS);
        PostgresWorkflowStore.WriteStatistics stats = store.writeStatistics();
        System.out.printf(
                "postgres store: appended %d single-event appends from %d threads in %d ms (%.0f events/s,"
                        + " %d commits, %.1f events per commit); replayed %d workflows / %d events in %d ms (again: %d ms)%n",
                events,
                APPENDERS,
                writeNanos / 1_000_000,
                events * 1e9 / writeNanos,
                stats.commits(),
                (double) stats.rows() / stats.commits(),
                WORKFLOWS,
                events,
                replayNanos / 1_000_000,
                warmNanos / 1_000_000);
    }

    /** Checks order as it counts, holding nothing. */
    private static final class Counter implements ReplayVisitor {
        long events;
        long workflows;
        String workflow = "";
        long last;

        @Override
        public void snapshot(WorkflowSnapshot snapshot) {
            throw new AssertionError("no snapshot was saved");
        }

        @Override
        public void event(EventRecord record) {
            String id = record.workflowId().value();
            if (!id.equals(workflow)) {
                if (id.compareTo(workflow) <= 0) {
                    throw new AssertionError("workflow " + id + " replayed after " + workflow);
                }
                workflow = id;
                workflows++;
                last = 0;
            }
            if (record.sequence() != last + 1) {
                throw new AssertionError(id + ": event " + record.sequence() + " replayed after " + last);
            }
            last = record.sequence();
            events++;
        }
    }
}
