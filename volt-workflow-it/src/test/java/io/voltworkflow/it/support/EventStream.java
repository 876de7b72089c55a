package io.voltworkflow.it.support;

import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.model.WorkflowId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/** A client of one workflow's WebSocket event stream, from its first event, keeping every frame it receives. */
public final class EventStream implements AutoCloseable {
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    private EventStream(ServerUnderTest api, WorkflowId id, String token) throws Exception {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        socket = api.http.newWebSocket(
                new Request.Builder()
                        .url(api.url("/api/v1/workflows/" + id + "/stream?after=0&access_token=" + token))
                        .build(),
                new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, Response response) {
                        opened.complete(null);
                    }

                    @Override
                    public void onMessage(WebSocket webSocket, String text) {
                        frames.add(text);
                    }

                    @Override
                    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
                        opened.completeExceptionally(failure);
                    }
                });
        opened.get(30, TimeUnit.SECONDS);
    }

    /** Opens the stream (the token travels in the query string, as browsers send it) and waits until it is open. */
    public static EventStream open(ServerUnderTest api, WorkflowId id, String token) throws Exception {
        return new EventStream(api, id, token);
    }

    public List<String> frames() {
        return List.copyOf(frames);
    }

    public void awaitFrameContaining(String text) {
        await().atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> frames.stream().anyMatch(frame -> frame.contains(text)));
    }

    public void send(String text) {
        socket.send(text);
    }

    public void send(ByteString bytes) {
        socket.send(bytes);
    }

    @Override
    public void close() {
        socket.close(1000, "done");
    }
}
