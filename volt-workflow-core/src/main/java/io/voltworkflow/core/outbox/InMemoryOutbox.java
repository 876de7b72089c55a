package io.voltworkflow.core.outbox;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** An outbox held in memory: the in-memory store's, and the state the file store's outbox replays its journal into. */
public class InMemoryOutbox implements DeliveryOutbox {
    private static final Comparator<OutboxEntry> NEWEST_FIRST = Comparator.comparing(OutboxEntry::createdAt)
            .thenComparing(OutboxEntry::deliveryId)
            .reversed();

    private final Map<String, OutboxEntry> entries = new LinkedHashMap<>();
    private final Map<WorkflowId, Long> cursors = new HashMap<>();
    private final Map<String, Instant> registrations = new HashMap<>();
    private final Map<String, String> subscriptions = new LinkedHashMap<>();

    @Override
    public synchronized List<OutboxEntry> enqueue(List<OutboxEntry> added, Map<WorkflowId, Long> raised) {
        List<OutboxEntry> fresh = new ArrayList<>();
        for (OutboxEntry entry : added) {
            if (!entries.containsKey(entry.deliveryId())
                    && fresh.stream().noneMatch(f -> f.deliveryId().equals(entry.deliveryId()))) {
                fresh.add(entry);
            }
        }
        Map<WorkflowId, Long> higher = new HashMap<>();
        raised.forEach((id, sequence) -> {
            if (sequence > cursor(id)) {
                higher.put(id, sequence);
            }
        });
        if (!fresh.isEmpty() || !higher.isEmpty()) {
            persistEnqueue(fresh, higher);
        }
        fresh.forEach(entry -> entries.put(entry.deliveryId(), entry));
        cursors.putAll(higher);
        return fresh;
    }

    @Override
    public synchronized long cursor(WorkflowId workflowId) {
        return cursors.getOrDefault(workflowId, 0L);
    }

    @Override
    public synchronized void update(OutboxEntry entry) {
        if (!entries.containsKey(entry.deliveryId())) {
            throw new IllegalArgumentException("no delivery " + entry.deliveryId() + " in the outbox");
        }
        persistEntry(entry);
        entries.put(entry.deliveryId(), entry);
    }

    @Override
    public synchronized Optional<OutboxEntry> find(String deliveryId) {
        return Optional.ofNullable(entries.get(deliveryId));
    }

    @Override
    public synchronized List<OutboxEntry> due(Instant now, int limit) {
        return entries.values().stream()
                .filter(e ->
                        e.state() == DeliveryState.PENDING && !e.nextAttemptAt().isAfter(now))
                .sorted(Comparator.comparing(OutboxEntry::nextAttemptAt).thenComparing(OutboxEntry::deliveryId))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<Instant> nextAttempt() {
        return entries.values().stream()
                .filter(e -> e.state() == DeliveryState.PENDING)
                .map(OutboxEntry::nextAttemptAt)
                .min(Comparator.naturalOrder());
    }

    @Override
    public synchronized List<OutboxEntry> list(
            @Nullable String subscriptionId, @Nullable DeliveryState state, int limit) {
        return entries.values().stream()
                .filter(e -> subscriptionId == null || e.subscriptionId().equals(subscriptionId))
                .filter(e -> state == null || e.state() == state)
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Instant register(String subscriptionId, Instant now) {
        Instant seen = registrations.get(subscriptionId);
        if (seen != null) {
            return seen;
        }
        persistRegistration(subscriptionId, now);
        registrations.put(subscriptionId, now);
        return now;
    }

    @Override
    public synchronized Map<String, String> subscriptions() {
        return Map.copyOf(subscriptions);
    }

    @Override
    public synchronized void saveSubscription(String id, String document) {
        persistSubscription(id, document);
        subscriptions.put(id, document);
    }

    @Override
    public synchronized void deleteSubscription(String id) {
        if (subscriptions.containsKey(id)) {
            persistSubscription(id, null);
            subscriptions.remove(id);
            registrations.remove(id);
        }
    }

    /** Everything held, for a journal that rewrites itself: entries, cursors, registrations, subscriptions. */
    protected synchronized Contents contents() {
        return new Contents(
                List.copyOf(entries.values()),
                Map.copyOf(cursors),
                Map.copyOf(registrations),
                Map.copyOf(subscriptions));
    }

    /** Applies a journal record read back on open, without persisting it again. */
    protected synchronized void restoreEntry(OutboxEntry entry) {
        entries.put(entry.deliveryId(), entry);
    }

    protected synchronized void restoreCursor(WorkflowId workflowId, long sequence) {
        cursors.merge(workflowId, sequence, Math::max);
    }

    protected synchronized void restoreRegistration(String subscriptionId, Instant at) {
        registrations.putIfAbsent(subscriptionId, at);
    }

    /** {@code document} null: deleted. */
    protected synchronized void restoreSubscription(String id, String document) {
        if (document == null) {
            subscriptions.remove(id);
            registrations.remove(id);
        } else {
            subscriptions.put(id, document);
        }
    }

    protected synchronized void forget(String deliveryId) {
        entries.remove(deliveryId);
    }

    /** Durability hooks, called under this object's lock before the change is applied; in memory they do nothing. */
    protected void persistEnqueue(List<OutboxEntry> fresh, Map<WorkflowId, Long> cursors) {}

    protected void persistEntry(OutboxEntry entry) {}

    protected void persistRegistration(String subscriptionId, Instant at) {}

    /** {@code document} null: deleted. */
    protected void persistSubscription(String id, @Nullable String document) {}

    protected record Contents(
            List<OutboxEntry> entries,
            Map<WorkflowId, Long> cursors,
            Map<String, Instant> registrations,
            Map<String, String> subscriptions) {}
}
