package io.voltworkflow.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.server.testing.ServerFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventStreamTest {
    private ServerFixture fixture;

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void sendsStoredThenLiveEventsInOrderUntilCompletion() throws Exception {
        fixture = new ServerFixture();
        CompletableFuture<Void> gate = fixture.engines.closeGate();
        WorkflowId id = fixture.createStarted("live");

        try (Client client = connect(id, 0, ServerFixture.FULL_TOKEN)) {
            List<JsonNode> events = new ArrayList<>(List.of(client.next()));
            gate.complete(null);
            events.addAll(client.untilType("workflow_completed"));
            assertThat(sequences(events))
                    .containsExactlyElementsOf(
                            range(1, fixture.awaitTermination(id).lastSequence()));
            assertThat(events.get(0).get("type").asText()).isEqualTo("workflow_created");
        }
    }

    @Test
    void reconnectingWithTheLastSequenceDeliversEveryMissedEventExactlyOnce() throws Exception {
        fixture = new ServerFixture();
        CompletableFuture<Void> gate = fixture.engines.closeGate();
        WorkflowId id = fixture.createStarted("reconnect");
        List<Long> seen = new ArrayList<>();

        try (Client first = connect(id, 0, ServerFixture.FULL_TOKEN)) {
            seen.add(first.next().get("sequence").asLong());
            seen.add(first.next().get("sequence").asLong());
        }
        gate.complete(null);
        long last = fixture.awaitTermination(id).lastSequence();

        try (Client second = connect(id, seen.get(seen.size() - 1), ServerFixture.FULL_TOKEN)) {
            seen.addAll(sequences(second.untilType("workflow_completed")));
        }
        assertThat(seen).containsExactlyElementsOf(range(1, last));
    }

    @Test
    void aSmallQueueStillDeliversEveryEventOnceForReplayedAndLiveWorkflows() throws Exception {
        fixture = new ServerFixture(25, b -> b.streamQueueCapacity(1));
        WorkflowId id = fixture.createStarted("many events");
        long last = fixture.awaitTermination(id).lastSequence();
        WorkflowId live = fixture.createStarted("many live events");

        try (Client replay = connect(id, 0, ServerFixture.FULL_TOKEN);
                Client concurrent = connect(live, 0, ServerFixture.FULL_TOKEN)) {
            assertThat(sequences(replay.untilType("workflow_completed"))).containsExactlyElementsOf(range(1, last));
            long liveLast = fixture.awaitTermination(live).lastSequence();
            assertThat(sequences(concurrent.untilType("workflow_completed")))
                    .containsExactlyElementsOf(range(1, liveLast));
        }
    }

    @Test
    void ignoresClientFramesAndClosesOnOversizedOnes() throws Exception {
        fixture = new ServerFixture();
        CompletableFuture<Void> gate = fixture.engines.closeGate();
        WorkflowId id = fixture.createStarted("client frames");
        try (Client client = connect(id, 0, ServerFixture.FULL_TOKEN)) {
            List<JsonNode> events = new ArrayList<>(List.of(client.next()));
            for (String frame : List.of("", "{", "{\"after\":0}", "\u0000\u0001", "ping", "null")) {
                assertThat(client.socket.send(frame)).isTrue();
            }
            gate.complete(null);
            events.addAll(client.untilType("workflow_completed"));
            assertThat(sequences(events))
                    .containsExactlyElementsOf(
                            range(1, fixture.awaitTermination(id).lastSequence()));

            client.socket.send("x".repeat(64 * 1024));
            assertThat(client.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void acceptsTheTokenAsAQueryParameterAndRefusesStreamsWithoutOne() throws Exception {
        fixture = new ServerFixture();
        WorkflowId id = fixture.createStarted("auth");
        fixture.awaitTermination(id);

        assertThat(handshakeStatus("/api/v1/workflows/" + id + "/stream", null)).isEqualTo(401);
        assertThat(handshakeStatus("/api/v1/workflows/" + id + "/stream?access_token=wrong-token-0123456789", null))
                .isEqualTo(401);
        try (Client reader = connect(id, 0, ServerFixture.READ_TOKEN)) {
            assertThat(reader.next().get("sequence").asLong()).isEqualTo(1);
        }
    }

    @Test
    void refusesUnknownWorkflowsAndBadSequencesBeforeUpgrading() throws Exception {
        fixture = new ServerFixture();
        WorkflowId id = fixture.createStarted("bad requests");
        String token = "access_token=" + ServerFixture.FULL_TOKEN;
        assertThat(handshakeStatus("/api/v1/workflows/wf-unknown/stream?" + token, null))
                .isEqualTo(404);
        assertThat(handshakeStatus("/api/v1/workflows/" + id + "/stream?after=-3&" + token, null))
                .isEqualTo(400);
        assertThat(handshakeStatus("/api/v1/workflows/" + id + "/stream?after=abc&" + token, null))
                .isEqualTo(400);
        assertThat(handshakeStatus("/api/v1/workflows/" + id + "/stream?afterr=3&" + token, null))
                .isEqualTo(400);
        assertThat(handshakeStatus("/api/v1/workflows/-bad/stream?" + token, null))
                .isEqualTo(400);
    }

    private Client connect(WorkflowId id, long after, String token) throws Exception {
        Client client = new Client();
        String url = fixture.url("/api/v1/workflows/" + id + "/stream?after=" + after + "&access_token=" + token);
        client.socket = fixture.http.newWebSocket(new Request.Builder().url(url).build(), client);
        client.opened.get(30, TimeUnit.SECONDS);
        return client;
    }

    private int handshakeStatus(String path, String bearer) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Request.Builder request = new Request.Builder().url(fixture.url(path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        fixture.http.newWebSocket(request.build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                status.complete(response.code());
                webSocket.cancel();
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                status.complete(response == null ? -1 : response.code());
            }
        });
        return status.get(30, TimeUnit.SECONDS);
    }

    private static List<Long> sequences(List<JsonNode> events) {
        return events.stream().map(e -> e.get("sequence").asLong()).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Collects text frames; reading waits for the next frame (bounded, so a broken server fails the test). */
    private static final class Client extends WebSocketListener implements AutoCloseable {
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            frames.add(text);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closed.complete(code);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            opened.completeExceptionally(t);
            closed.completeExceptionally(t);
        }

        JsonNode next() throws InterruptedException, IOException {
            String frame = frames.poll(30, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no event arrived");
            }
            return WorkflowJson.mapper().readTree(frame);
        }

        List<JsonNode> untilType(String type) throws InterruptedException, IOException {
            List<JsonNode> events = new ArrayList<>();
            JsonNode event;
            do {
                event = next();
                events.add(event);
            } while (!event.get("type").asText().equals(type));
            return events;
        }

        @Override
        public void close() {
            socket.close(1000, "done");
        }
    }
}
