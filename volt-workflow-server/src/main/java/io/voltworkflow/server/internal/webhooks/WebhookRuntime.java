package io.voltworkflow.server.internal.webhooks;

import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.outbox.DeliveryOutbox;
import io.voltworkflow.core.outbox.DeliveryState;
import io.voltworkflow.core.outbox.OutboxEntry;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.time.TimeSource;
import io.voltworkflow.server.webhooks.WebhookOptions;
import io.voltworkflow.server.webhooks.WebhookSubscription;
import io.voltworkflow.server.webhooks.WebhookTargets;
import io.voltworkflow.server.webhooks.WebhookTrigger;
import io.voltworkflow.server.webhooks.Webhooks;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@link Webhooks}. One thread owns all state: it derives deliveries from events (live ones from
 * the orchestrator, and on start those after the outbox's cursor), records outcomes and decides what to send next.
 * Requests run on OkHttp's threads and report back to it. Logs name subscriptions and deliveries by id and
 * targets by host only: incoming-webhook URLs carry credentials in their path.
 */
public final class WebhookRuntime implements Webhooks {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRuntime.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int BATCH = 64;
    private static final int CATCH_UP_PAGE = 512;
    private static final Set<EventType> TERMINAL =
            EnumSet.of(EventType.WORKFLOW_COMPLETED, EventType.WORKFLOW_FAILED, EventType.WORKFLOW_CANCELLED);
    static final String DELIVERY_HEADER = "Volt-Delivery";
    static final String EVENT_HEADER = "Volt-Event";

    private final WorkflowOrchestrator orchestrator;
    private final DeliveryOutbox outbox;
    private final WebhookOptions options;
    private final TimeSource clock;
    private final Notifications notifications;
    private final OkHttpClient http;
    private final ExecutorService worker;
    /** Owned by the worker thread from here on. */
    private final Map<String, Notifications.Active> active = new LinkedHashMap<>();

    private final Set<String> inFlight = new HashSet<>();
    private final Map<WorkflowId, Long> processed = new HashMap<>();
    private final Map<WorkflowId, Budget> budgets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<WorkflowId, Budget> eldest) {
            return size() > 4096;
        }
    };
    private final List<Waiter> waiters = new ArrayList<>();
    private TimeSource.@Nullable Timer timer;
    private @Nullable Instant timerAt;
    private @Nullable Subscription events;
    private volatile boolean closed;

    private record Waiter(WorkflowId workflowId, long sequence, CompletableFuture<Void> settled) {}

    private WebhookRuntime(WorkflowOrchestrator orchestrator, DeliveryOutbox outbox, WebhookOptions options) {
        this.orchestrator = orchestrator;
        this.outbox = outbox;
        this.options = options;
        this.clock = options.timeSource();
        this.notifications = new Notifications(options.workflowPageBase());
        WebhookTargets targets = options.targets();
        this.http = new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .callTimeout(options.requestTimeout())
                .dns(hostname -> resolve(targets, hostname))
                .build();
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "volt-webhooks");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static WebhookRuntime start(
            WorkflowOrchestrator orchestrator, DeliveryOutbox outbox, WebhookOptions options) {
        WebhookRuntime runtime = new WebhookRuntime(orchestrator, outbox, options);
        Instant now = runtime.clock.now();
        for (WebhookSubscription subscription : options.subscriptions()) {
            runtime.active.put(
                    subscription.id(), new Notifications.Active(subscription, outbox.register(subscription.id(), now)));
        }
        for (String document : outbox.subscriptions().values()) {
            WebhookSubscription subscription = SubscriptionDocuments.fromStored(document);
            if (runtime.active.containsKey(subscription.id())) {
                LOG.warn(
                        "webhook '{}' made over the API is shadowed by the configuration file's of the same id",
                        subscription.id());
                continue;
            }
            runtime.active.put(
                    subscription.id(), new Notifications.Active(subscription, outbox.register(subscription.id(), now)));
        }
        // Live events first, then what the store holds after the cursor: overlaps derive the same delivery ids.
        runtime.events = orchestrator.onAny(record -> runtime.submit(() -> runtime.onEvent(record)));
        runtime.submit(runtime::catchUp);
        return runtime;
    }

    private static List<InetAddress> resolve(WebhookTargets targets, String hostname)
            throws java.net.UnknownHostException {
        try {
            return targets.resolve(hostname);
        } catch (IllegalArgumentException e) {
            throw new java.net.UnknownHostException(e.getMessage());
        }
    }

    // ---- API (any thread): each call runs on the worker.

    @Override
    public List<WebhookSubscription> subscriptions() {
        return call(() ->
                active.values().stream().map(Notifications.Active::subscription).toList());
    }

    @Override
    public Optional<WebhookSubscription> subscription(String id) {
        return call(() -> Optional.ofNullable(active.get(id)).map(Notifications.Active::subscription));
    }

    @Override
    public WebhookSubscription create(WebhookSubscription subscription) {
        if (subscription.origin() != WebhookSubscription.Origin.API) {
            throw new IllegalArgumentException("subscriptions made at run time have origin API");
        }
        options.targets().check(subscription.url().toString());
        return call(() -> {
            if (active.containsKey(subscription.id())) {
                throw new RefusedException(
                        RefusedException.Reason.SUBSCRIPTION_EXISTS,
                        "a webhook with id '" + subscription.id() + "' exists already");
            }
            outbox.saveSubscription(subscription.id(), SubscriptionDocuments.stored(subscription));
            active.put(
                    subscription.id(),
                    new Notifications.Active(subscription, outbox.register(subscription.id(), clock.now())));
            LOG.info(
                    "webhook '{}' added for {} to {}", subscription.id(), subscription.events(), subscription.target());
            return subscription;
        });
    }

    @Override
    public void delete(String id) {
        call(() -> {
            Notifications.Active existing = active.get(id);
            if (existing == null) {
                throw noSuchSubscription(id);
            }
            if (existing.subscription().origin() == WebhookSubscription.Origin.CONFIGURATION) {
                throw new RefusedException(
                        RefusedException.Reason.CONFIGURED_IN_FILE,
                        "webhook '" + id + "' is defined in the configuration file; remove it there");
            }
            outbox.deleteSubscription(id);
            active.remove(id);
            LOG.info("webhook '{}' removed", id);
            return null;
        });
    }

    @Override
    public List<OutboxEntry> deliveries(@Nullable String subscriptionId, @Nullable DeliveryState state, int limit) {
        return outbox.list(subscriptionId, state, limit);
    }

    @Override
    public Optional<OutboxEntry> delivery(String deliveryId) {
        return outbox.find(deliveryId);
    }

    @Override
    public OutboxEntry redeliver(String deliveryId) {
        return call(() -> {
            OutboxEntry entry = outbox.find(deliveryId)
                    .orElseThrow(() -> new RefusedException(
                            RefusedException.Reason.NO_SUCH_DELIVERY, "no webhook delivery " + deliveryId));
            if (inFlight.contains(deliveryId)) {
                return entry;
            }
            OutboxEntry again = entry.redeliver(clock.now());
            outbox.update(again);
            LOG.info("webhook delivery {} queued again on request", deliveryId);
            pump();
            return again;
        });
    }

    @Override
    public WebhookTargets targets() {
        return options.targets();
    }

    @Override
    public boolean awaitSettled(WorkflowId workflowId, long sequence, Duration timeout) throws InterruptedException {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        submit(() -> {
            waiters.add(new Waiter(workflowId, sequence, settled));
            checkWaiters();
        });
        try {
            settled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (events != null) {
            events.close();
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timer != null) {
            timer.cancel();
        }
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static RefusedException noSuchSubscription(String id) {
        return new RefusedException(RefusedException.Reason.NO_SUCH_SUBSCRIPTION, "no webhook with id '" + id + "'");
    }

    // ---- Worker thread.

    private void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // The outbox keeps what was not recorded: it is derived or sent again on the next event, timer or
                    // start.
                    LOG.error("webhooks: {}", e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: what was not done stays in the outbox for the next process.
        }
    }

    private <T> T call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            throw new IllegalStateException("webhooks are stopped");
        }
        worker.execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void catchUp() {
        if (!active.isEmpty()) {
            Instant earliest = active.values().stream()
                    .map(Notifications.Active::since)
                    .min(Instant::compareTo)
                    .orElseThrow();
            for (int offset = 0; ; offset += WorkflowQuery.MAX_LIMIT) {
                List<WorkflowStatus> page = orchestrator.listWorkflows(
                        new WorkflowQuery(Set.of(), null, null, offset, WorkflowQuery.MAX_LIMIT));
                for (WorkflowStatus status : page) {
                    boolean finishedBefore =
                            status.finishedAt() != null && status.finishedAt().isBefore(earliest);
                    if (!finishedBefore && status.lastSequence() > outbox.cursor(status.workflowId())) {
                        catchUp(status.workflowId());
                    }
                }
                if (page.size() < WorkflowQuery.MAX_LIMIT) {
                    break;
                }
            }
        }
        pump();
    }

    private void catchUp(WorkflowId id) {
        long after = outbox.cursor(id);
        while (true) {
            List<EventRecord> records = orchestrator.events(id, after, CATCH_UP_PAGE);
            for (EventRecord record : records) {
                onEvent(record);
                after = record.sequence();
            }
            if (records.size() < CATCH_UP_PAGE) {
                return;
            }
        }
    }

    private void onEvent(EventRecord record) {
        processed.merge(record.workflowId(), record.sequence(), Math::max);
        if (!active.isEmpty() && mayNotify(record)) {
            Notifications.Workflow workflow = workflow(record.workflowId());
            List<OutboxEntry> entries = workflow == null
                    ? List.of()
                    : notifications.derive(record, workflow, List.copyOf(active.values()), clock.now());
            if (!entries.isEmpty() || TERMINAL.contains(record.type())) {
                List<OutboxEntry> added = outbox.enqueue(entries, Map.of(record.workflowId(), record.sequence()));
                added.forEach(entry -> LOG.info(
                        "webhook delivery {} for '{}': {} of workflow {}",
                        entry.deliveryId(),
                        entry.subscriptionId(),
                        entry.event(),
                        entry.workflowId().value()));
                if (!added.isEmpty()) {
                    pump();
                }
            }
        }
        checkWaiters();
    }

    private boolean mayNotify(EventRecord record) {
        if (TERMINAL.contains(record.type())) {
            return true;
        }
        for (Notifications.Active a : active.values()) {
            for (WebhookTrigger trigger : a.subscription().events()) {
                if (trigger.wireName().equals(record.type().wireName())
                        || (trigger == WebhookTrigger.BUDGET_THRESHOLD
                                && (record.event() instanceof WorkflowEvent.StepCompleted
                                        || record.event() instanceof WorkflowEvent.StepRetrying
                                        || record.event() instanceof WorkflowEvent.StepFailed))) {
                    return true;
                }
            }
        }
        return false;
    }

    private Notifications.@Nullable Workflow workflow(WorkflowId id) {
        WorkflowStatus status;
        try {
            status = orchestrator.getWorkflowStatus(id);
        } catch (WorkflowNotFoundException e) {
            return null;
        }
        Budget budget = budgets.computeIfAbsent(id, this::budgetOf);
        return new Notifications.Workflow(status, budget.equals(Budget.UNLIMITED) ? null : budget);
    }

    /** The budget the workflow was created with; unlimited when its creation was compacted away. */
    private Budget budgetOf(WorkflowId id) {
        List<EventRecord> first = orchestrator.events(id, 0, 1);
        if (!first.isEmpty() && first.get(0).event() instanceof WorkflowEvent.WorkflowCreated created) {
            return created.definition().options().budget();
        }
        return Budget.UNLIMITED;
    }

    private void pump() {
        if (closed) {
            return;
        }
        Instant now = clock.now();
        for (OutboxEntry entry : outbox.due(now, BATCH + inFlight.size())) {
            if (inFlight.size() >= BATCH) {
                break;
            }
            if (!inFlight.contains(entry.deliveryId())) {
                send(entry, now);
            }
        }
        Optional<Instant> next = outbox.nextAttempt();
        if (next.isPresent()
                && next.get().isAfter(now)
                && (timerAt == null || next.get().isBefore(timerAt) || !timerAt.isAfter(now))) {
            if (timer != null) {
                timer.cancel();
            }
            timerAt = next.get();
            timer = clock.schedule(Duration.between(now, timerAt), () -> submit(this::pump));
        }
        checkWaiters();
    }

    private void send(OutboxEntry entry, Instant now) {
        Notifications.Active target = active.get(entry.subscriptionId());
        if (target == null) {
            outbox.update(entry.dead(now, 0, "the subscription was deleted"));
            return;
        }
        WebhookSubscription subscription = target.subscription();
        byte[] body = MessageBodies.render(subscription.format(), entry.payload());
        Request request = new Request.Builder()
                .url(subscription.url().toString())
                .post(RequestBody.create(body, JSON))
                .header("User-Agent", "VoltWorkflow-Webhooks/1")
                .header(DELIVERY_HEADER, entry.deliveryId())
                .header(EVENT_HEADER, entry.event())
                .header(Signature.HEADER, Signature.header(subscription.secret().reveal(), now.getEpochSecond(), body))
                .build();
        inFlight.add(entry.deliveryId());
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                int status = response.code();
                response.close();
                submit(() -> outcome(entry, status, status / 100 == 2 ? null : "HTTP " + status));
            }

            @Override
            public void onFailure(Call call, IOException e) {
                submit(() -> outcome(entry, 0, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        });
    }

    private void outcome(OutboxEntry sent, int status, @Nullable String error) {
        inFlight.remove(sent.deliveryId());
        Instant now = clock.now();
        // The entry may have been asked to be redelivered meanwhile: record the attempt on what the outbox holds.
        OutboxEntry entry = outbox.find(sent.deliveryId()).orElse(sent);
        OutboxEntry next;
        if (error == null) {
            next = entry.delivered(now, status);
            LOG.info(
                    "webhook delivery {} to '{}' accepted ({}) after {} attempt(s)",
                    entry.deliveryId(),
                    entry.subscriptionId(),
                    status,
                    next.attempts());
        } else if (entry.attempts() + 1 >= options.retry().maxAttempts()) {
            next = entry.dead(now, status, error);
            LOG.warn(
                    "webhook delivery {} to '{}' is dead after {} attempt(s): {}",
                    entry.deliveryId(),
                    entry.subscriptionId(),
                    next.attempts(),
                    error);
        } else {
            Duration delay = options.retry()
                    .delayAfter(entry.attempts() + 1, null, options.random().getAsDouble());
            next = entry.retryAt(now, status, error, now.plus(delay));
            LOG.info(
                    "webhook delivery {} to '{}' failed ({}); attempt {} in {} ms",
                    entry.deliveryId(),
                    entry.subscriptionId(),
                    error,
                    next.attempts() + 1,
                    delay.toMillis());
        }
        outbox.update(next);
        pump();
    }

    private void checkWaiters() {
        if (waiters.isEmpty()) {
            return;
        }
        boolean quiet = inFlight.isEmpty() && outbox.due(clock.now(), 1).isEmpty();
        waiters.removeIf(w -> {
            boolean done = quiet && processed.getOrDefault(w.workflowId(), 0L) >= w.sequence();
            if (done) {
                w.settled().complete(null);
            }
            return done;
        });
    }
}
