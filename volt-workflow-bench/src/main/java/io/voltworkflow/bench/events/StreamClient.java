package io.voltworkflow.bench.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket client of an event stream (JDK client): counts event frames and checks that their sequence numbers
 * follow each other without a gap or a repeat.
 */
final class StreamClient implements WebSocket.Listener {
    private static final String SEQUENCE = "\"sequence\":";
    private final StringBuilder partial = new StringBuilder();
    private volatile long delivered;
    private volatile long outOfOrder;
    private volatile long lastSequence;
    private volatile long lastDeliveryNanos;
    private @Nullable WebSocket socket;

    static StreamClient connect(HttpClient http, URI uri) throws Exception {
        StreamClient client = new StreamClient();
        client.socket = http.newWebSocketBuilder().buildAsync(uri, client).get(30, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received(partial);
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the socket's listener thread writes; readers only read
    private void received(CharSequence frame) {
        String text = frame.toString();
        int start = text.indexOf(SEQUENCE) + SEQUENCE.length();
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        long sequence = Long.parseLong(text, start, end, 10);
        if (sequence != lastSequence + 1) {
            outOfOrder++;
        }
        lastSequence = sequence;
        delivered++;
        lastDeliveryNanos = System.nanoTime();
    }

    long delivered() {
        return delivered;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** Closes from our side; the server may have closed first (its stream ends with the workflow), which is fine. */
    CompletableFuture<Void> close() {
        return Objects.requireNonNull(socket, "connect() opened the socket")
                .sendClose(WebSocket.NORMAL_CLOSURE, "done")
                .handle((ignored, alreadyClosed) -> null);
    }
}
