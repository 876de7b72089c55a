package io.voltworkflow.server.internal.stream;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.time.TimeSource;
import io.voltworkflow.server.internal.http.ServerMetrics;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client watching one workflow. Events go out as JSON text frames, strictly in sequence order and each exactly
 * once: an event is queued only if it is the successor of the last one queued.
 *
 * <p>Backpressure: the queue is bounded and one frame is in flight at a time. When a client reads too slowly to keep
 * the queue below its bound, the connection stops taking live events (it ignores its subscription from then on) and,
 * once the client has drained the queue, subscribes again after the last event it queued, which replays the
 * missed events from the store. The orchestrator's delivery thread is never blocked and nothing is held in memory
 * beyond the bound.
 */
public final class StreamConnection implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

    private final WorkflowOrchestrator orchestrator;
    private final WorkflowId workflowId;
    private final int capacity;
    private final Executor executor;
    private final TimeSource time;
    private final ServerMetrics metrics;
    private final Consumer<StreamConnection> onClosed;
    private final ArrayDeque<EventRecord> queue = new ArrayDeque<>();

    /** Set when the WebSocket opens, before the subscription that feeds events exists. */
    private @Nullable Session session;

    private @Nullable Subscription subscription;
    private Runnable unregister = () -> {};
    /** Events from subscriptions of older generations are ignored. */
    private long generation;

    private long lastQueued;
    private boolean lagging;
    private boolean sending;
    private boolean closed;

    StreamConnection(
            WorkflowOrchestrator orchestrator,
            WorkflowId workflowId,
            long afterSequence,
            int capacity,
            Executor executor,
            TimeSource time,
            ServerMetrics metrics,
            Consumer<StreamConnection> onClosed) {
        this.orchestrator = orchestrator;
        this.workflowId = workflowId;
        this.lastQueued = afterSequence;
        this.capacity = capacity;
        this.executor = executor;
        this.time = time;
        this.metrics = metrics;
        this.onClosed = onClosed;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        synchronized (this) {
            this.session = session;
            this.unregister = metrics.registerStream(this::queueDepth);
        }
        subscribe();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        shutdown();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("stream of {} failed", workflowId, cause);
        shutdown();
    }

    /** Client frames carry nothing: the stream is one-way. */
    @Override
    public void onWebSocketText(String message) {}

    private void subscribe() {
        long myGeneration;
        long after;
        synchronized (this) {
            if (closed) {
                return;
            }
            myGeneration = ++generation;
            after = lastQueued;
            lagging = false;
        }
        Subscription fresh;
        try {
            fresh = orchestrator.subscribe(workflowId, after, new Listener(myGeneration));
        } catch (RuntimeException e) {
            LOG.warn("cannot subscribe to events of {}", workflowId, e);
            closeSession(StatusCode.SERVER_ERROR, "cannot read events");
            return;
        }
        @Nullable Subscription previous;
        synchronized (this) {
            previous = subscription;
            subscription = fresh;
            if (closed) {
                previous = fresh;
                subscription = null;
            }
        }
        if (previous != null) {
            previous.close();
        }
    }

    private void offer(long fromGeneration, EventRecord record) {
        synchronized (this) {
            if (closed || fromGeneration != generation || lagging || record.sequence() <= lastQueued) {
                return;
            }
            if (record.sequence() != lastQueued + 1 || queue.size() >= capacity) {
                // Fell behind (or, defensively, saw a gap): stop taking live events and catch up from the store.
                lagging = true;
                metrics.streamCaughtUpFromStore();
            } else {
                queue.addLast(record);
                lastQueued = record.sequence();
            }
        }
        sendNext();
    }

    private void sendNext() {
        EventRecord next;
        @Nullable Session target;
        boolean resubscribe = false;
        synchronized (this) {
            target = session;
            if (closed || sending) {
                return;
            }
            next = queue.pollFirst();
            if (next == null) {
                resubscribe = lagging;
                if (resubscribe) {
                    lagging = false;
                    generation++;
                }
            } else {
                sending = true;
            }
        }
        if (next == null) {
            if (resubscribe) {
                executor.execute(this::subscribe);
            }
            return;
        }
        String frame = WorkflowJson.write(next);
        long lagMillis = time.now().toEpochMilli() - next.timestamp().toEpochMilli();
        Objects.requireNonNull(target, "events are queued only once the WebSocket is open")
                .sendText(frame, new Callback() {
                    @Override
                    public void succeed() {
                        metrics.eventSent(lagMillis);
                        synchronized (StreamConnection.this) {
                            sending = false;
                        }
                        sendNext();
                    }

                    @Override
                    public void fail(Throwable cause) {
                        LOG.debug("cannot send event to a client of {}", workflowId, cause);
                        shutdown();
                    }
                });
    }

    private synchronized int queueDepth() {
        return queue.size();
    }

    /** Closes the stream from the server side, e.g. on shutdown. */
    void close(int statusCode, String reason) {
        closeSession(statusCode, reason);
        shutdown();
    }

    private void closeSession(int statusCode, String reason) {
        @Nullable Session current;
        synchronized (this) {
            current = session;
        }
        if (current != null && current.isOpen()) {
            current.close(statusCode, reason, Callback.NOOP);
        }
    }

    private void shutdown() {
        @Nullable Subscription toClose;
        Runnable toUnregister;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            toClose = subscription;
            subscription = null;
            toUnregister = unregister;
        }
        toUnregister.run();
        onClosed.accept(this);
        if (toClose != null) {
            toClose.close();
        }
    }

    private final class Listener implements EventListener {
        private final long listenerGeneration;

        Listener(long listenerGeneration) {
            this.listenerGeneration = listenerGeneration;
        }

        @Override
        public void onEvent(EventRecord event) {
            offer(listenerGeneration, event);
        }
    }
}
