package io.voltworkflow.bench.events;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.jspecify.annotations.Nullable;

/**
 * The WebSocket delivery limit: a bare Jetty WebSocket server that sends prepared frames, on the server's own
 * wire discipline (one frame in flight per client, the next sent when the previous one completed), and nothing
 * else: no subscription, no queue, no store.
 */
public final class BroadcastServer implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final List<Sender> senders = new CopyOnWriteArrayList<>();

    /** {@code framesByStream.get(i)} is what a client of {@code /stream/i} receives. */
    BroadcastServer(List<List<String>> framesByStream) throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(
                server,
                container -> container.addMapping("/stream/*", (request, response, callback) -> {
                    String path = Request.getPathInContext(request);
                    int stream = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
                    Sender sender = new Sender(framesByStream.get(stream));
                    senders.add(sender);
                    return sender;
                })));
        server.start();
    }

    String url(int stream) {
        return "ws://127.0.0.1:" + connector.getLocalPort() + "/stream/" + stream;
    }

    /** Starts sending to every connected client. */
    void sendAll() {
        senders.forEach(Sender::sent);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Public: Jetty invokes its listener methods reflectively. */
    public static final class Sender implements Session.Listener.AutoDemanding {
        private final List<String> frames;
        /** Completions not yet acted on: a send that completes inline is continued by the loop, not by recursion. */
        private final AtomicInteger completions = new AtomicInteger();

        private volatile @Nullable Session session;
        private int next;

        Sender(List<String> frames) {
            this.frames = frames;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        /** Clients close when they have everything; a send racing the close fails and that is expected. */
        @Override
        public void onWebSocketError(Throwable cause) {}

        /** The previous frame went out (or, the first time, sending may begin): send the next one. */
        void sent() {
            if (completions.getAndIncrement() == 0) {
                do {
                    if (next < frames.size()) {
                        Objects.requireNonNull(session, "frames are sent once the WebSocket is open")
                                .sendText(frames.get(next++), Callback.from(this::sent, error -> {}));
                    }
                } while (completions.decrementAndGet() != 0);
            }
        }
    }
}
