package io.voltworkflow.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.it.support.ServerUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * Hostile clients of the WebSocket event stream: random {@code after} values and workflow ids, then random text and
 * binary frames (garbage, control characters, 1 MiB). A bad request is refused before the upgrade; an accepted
 * stream delivers exactly the events after {@code after}, in order; whatever the client sends, the server stays
 * ready and a fresh client still receives the whole stream.
 */
class StreamFuzzTest {
    private static final String TOKEN = "stream-fuzz-token-Gs9Fb3Jc6Wv2Kx7L";
    private static final AtomicInteger OPENED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger FRAMES_SENT = new AtomicInteger();
    private static ServerUnderTest api;
    private static WorkflowId workflow;
    private static long lastSequence;

    @BeforeContainer
    static void startServerWithOneFinishedWorkflow() throws Exception {
        WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .engines(new FakeEngines(2, true).engines())
                .build());
        api = new ServerUnderTest(orchestrator, TOKEN, TOKEN.replace("fuzz", "read"));
        workflow = orchestrator
                .createWorkflow("stream fuzz", Map.of(), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(workflow);
        lastSequence = orchestrator
                .awaitTermination(workflow)
                .get(30, TimeUnit.SECONDS)
                .lastSequence();
    }

    @AfterContainer
    static void stopServer() {
        api.close();
        System.out.printf(
                "bad-input stream: %d connections refused before the upgrade, %d opened and fed %d hostile "
                        + "frames, every accepted stream exact, server ready after each%n",
                REFUSED.get(), OPENED.get(), FRAMES_SENT.get());
    }

    @Property(tries = 60, seed = "20261125")
    void hostileStreamClientsGetExactlyTheirEventsOrARefusal(
            @ForAll("afters") String after, @ForAll boolean knownWorkflow, @ForAll("frames") List<Object> frames)
            throws Exception {
        String id = knownWorkflow ? workflow.value() : "wf-unknown";
        Client client = Client.open(api, id, after);
        long afterValue = parse(after);
        boolean valid = knownWorkflow && afterValue >= 0;

        if (!valid) {
            assertThat(client.refusal.get(30, TimeUnit.SECONDS)).isIn(400, 404);
            REFUSED.incrementAndGet();
        } else {
            OPENED.incrementAndGet();
            long from = Math.min(afterValue, lastSequence);
            client.awaitThrough(lastSequence, from);
            for (Object frame : frames) {
                if (frame instanceof String text) {
                    client.socket.send(text);
                } else {
                    client.socket.send((ByteString) frame);
                }
                FRAMES_SENT.incrementAndGet();
            }
            assertThat(client.sequences)
                    .containsExactlyElementsOf(LongStream.rangeClosed(from + 1, lastSequence)
                            .boxed()
                            .toList());
        }
        client.socket.cancel();
        assertThat(api.call("GET", "/readyz", null, null).status()).isEqualTo(200);
        Client fresh = Client.open(api, workflow.value(), "0");
        fresh.awaitThrough(lastSequence, 0);
        assertThat(fresh.sequences)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, lastSequence).boxed().toList());
        fresh.socket.cancel();
    }

    private static long parse(String after) {
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Provide
    Arbitrary<String> afters() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 40).map(String::valueOf),
                Arbitraries.of("-1", "", "abc", "1.5", "99999999999999999999", "0x10", "%20", "1e2"));
    }

    @Provide
    Arbitrary<List<Object>> frames() {
        Arbitrary<Object> frame = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200).map(s -> (Object) s),
                Arbitraries.of(
                                "cancel",
                                "{\"action\":\"cancel\"}",
                                "{\"after\":0}",
                                "null",
                                "\u0000",
                                "{".repeat(10_000))
                        .map(s -> (Object) s),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> (Object) ByteString.of(b)),
                Arbitraries.just((Object) "x".repeat(1 << 20)));
        return frame.list().ofMaxSize(4);
    }

    /** One stream connection: the sequences it received, or the status of a refused upgrade. */
    private static final class Client extends WebSocketListener {
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> refusal = new CompletableFuture<>();
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        WebSocket socket;

        static Client open(ServerUnderTest api, String id, String after) {
            Client client = new Client();
            client.socket = api.http.newWebSocket(
                    new Request.Builder()
                            .url(api.url(
                                    "/api/v1/workflows/" + id + "/stream?after=" + after + "&access_token=" + TOKEN))
                            .build(),
                    client);
            return client;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            try {
                sequences.add(
                        WorkflowJson.mapper().readTree(text).get("sequence").asLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            refusal.complete(response == null ? -1 : response.code());
        }

        void awaitThrough(long last, long after) {
            if (last == after) {
                await().atMost(Duration.ofSeconds(30)).until(opened::isDone);
                return;
            }
            await().atMost(Duration.ofSeconds(30))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !sequences.isEmpty() && sequences.get(sequences.size() - 1) >= last);
        }
    }
}
