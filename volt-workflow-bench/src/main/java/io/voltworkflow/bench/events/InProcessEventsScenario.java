package io.voltworkflow.bench.events;

import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.bench.dag.Workloads;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;

/**
 * Events delivered to 10 in-process subscribers ({@code onAny}) while no-op workflows run, counted against what
 * the store holds afterwards: every stored event must reach every subscriber. The baseline delivers the same
 * records through a minimal bus. Delivery rates count each (event, subscriber) pair once.
 */
public final class InProcessEventsScenario implements Scenario {
    static final int SUBSCRIBERS = 10;
    private static final int IN_FLIGHT = 1000;
    private static final int PAGE = 10_000;
    private static final double TARGET_PER_SECOND = 200_000;

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String summary() {
        return "events/s delivered to 10 in-process subscribers, and lost events, vs a minimal bus";
    }

    @Override
    public int maxScale() {
        return 100;
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        List<Figure> figures = new ArrayList<>();
        figures.addAll(measure(settings, "defaults (queue 1,000, batch 10)", options -> options));
        figures.addAll(measure(
                settings,
                "queue 100,000, batch 1,000",
                options -> options.eventQueueSize(100_000).eventBatchSize(1_000)));
        return figures;
    }

    private List<Figure> measure(
            RunSettings settings, String busSettings, UnaryOperator<OrchestratorOptions.Builder> tuning)
            throws Exception {
        int workflows = settings.pick(200, 20) * settings.scale();
        Dag chain = Dags.chain(10, Duration.ZERO);
        List<CountingListener> listeners = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        List<EventRecord> stored = new ArrayList<>();
        long elapsedNanos;
        long missedBySubscriptions = 0;
        OrchestratorOptions options =
                tuning.apply(VoltDags.options(VoltDags.engines())).build();
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(options)) {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                CountingListener listener = new CountingListener();
                listeners.add(listener);
                subscriptions.add(orchestrator.onAny(listener));
            }
            ConcurrentLinkedQueue<WorkflowId> ids = new ConcurrentLinkedQueue<>();
            long started = System.nanoTime();
            runWorkflows(orchestrator, chain, workflows, ids);
            for (WorkflowId id : ids) {
                stored.addAll(storedEvents(orchestrator, id));
            }
            awaitDeliveries(listeners, stored.size());
            elapsedNanos = listeners.stream()
                            .mapToLong(CountingListener::lastDeliveryNanos)
                            .max()
                            .orElseThrow()
                    - started;
            for (Subscription subscription : subscriptions) {
                missedBySubscriptions += subscription.missedEvents();
                subscription.close();
            }
        }
        long expected = (long) stored.size() * SUBSCRIBERS;
        long delivered =
                listeners.stream().mapToLong(CountingListener::delivered).sum();
        // Overflowed events are read back from the store and delivered late: only what never arrives is lost.
        long lost = Math.max(0, expected - delivered);
        long duplicated = Math.max(0, delivered - expected);
        double oursRate = delivered / (elapsedNanos / 1e9);
        double baselineRate = minimalBusRate(stored);
        String note = "bus " + busSettings + "; " + workflows + " 10-step no-op workflows, " + stored.size()
                + " events × " + SUBSCRIBERS + " subscribers; ours is bounded by how fast the workflows produce events";
        return List.of(
                new Figure(
                        name(),
                        settings.scale(),
                        "deliveries/s to " + SUBSCRIBERS + " in-process subscribers",
                        "events/s",
                        baselineRate,
                        oursRate,
                        "≥ 200,000/s",
                        Figure.verdict(oursRate >= TARGET_PER_SECOND),
                        note),
                new Figure(
                        name(),
                        settings.scale(),
                        "lost events (in-process)",
                        "events",
                        0,
                        lost,
                        "0",
                        Figure.verdict(lost == 0 && duplicated == 0),
                        "bus " + busSettings + "; expected " + expected + ", delivered " + delivered + ", duplicated "
                                + duplicated + ", overflowed and read back from the store " + missedBySubscriptions));
    }

    private static void runWorkflows(
            WorkflowOrchestrator orchestrator, Dag dag, int count, ConcurrentLinkedQueue<WorkflowId> ids)
            throws Exception {
        Workloads.runConcurrently(count, IN_FLIGHT, () -> {
            WorkflowId id = orchestrator
                    .createWorkflow(VoltDags.definition(dag, WorkflowOptions.DEFAULTS))
                    .workflowId();
            ids.add(id);
            orchestrator.startWorkflow(id);
            return orchestrator.awaitTermination(id);
        });
    }

    static List<EventRecord> storedEvents(WorkflowOrchestrator orchestrator, WorkflowId id) {
        List<EventRecord> all = new ArrayList<>();
        while (true) {
            List<EventRecord> page = orchestrator.events(
                    id, all.isEmpty() ? 0 : all.get(all.size() - 1).sequence(), PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
        }
    }

    /** Waits until every listener has every event, or until deliveries stop for 2 seconds (then some were lost). */
    private static void awaitDeliveries(List<CountingListener> listeners, long perListener)
            throws InterruptedException {
        long lastTotal = -1;
        long lastChange = System.nanoTime();
        while (listeners.stream().anyMatch(l -> l.delivered() < perListener)) {
            long total =
                    listeners.stream().mapToLong(CountingListener::delivered).sum();
            if (total != lastTotal) {
                lastTotal = total;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > Duration.ofSeconds(2).toNanos()) {
                return;
            }
            Thread.sleep(2);
        }
    }

    private static double minimalBusRate(List<EventRecord> records) throws InterruptedException {
        List<CountingListener> listeners = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            listeners.add(new CountingListener());
        }
        long started = System.nanoTime();
        try (MinimalBus bus = new MinimalBus(1000, List.<EventListener>copyOf(listeners))) {
            for (EventRecord record : records) {
                bus.publish(record);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return (double) records.size() * SUBSCRIBERS / seconds;
    }
}
