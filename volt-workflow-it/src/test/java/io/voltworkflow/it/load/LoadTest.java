package io.voltworkflow.it.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.it.support.ServerUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many workflows at once through the REST API on the durable file store, watched over WebSocket by clients that
 * drop their connection once mid-stream and reconnect with the last sequence they saw. Each watcher must end with
 * the gap-free sequence 1..last of its workflow, each event once. Latency percentiles of the API calls and the heap
 * before and after are reported, not asserted. {@code -Dvolt.load.workflows=} and {@code -Dvolt.load.watchers=}
 * make it a soak run.
 */
class LoadTest {
    private static final int WORKFLOWS = Integer.getInteger("volt.load.workflows", 1000);
    private static final int WATCHERS = Integer.getInteger("volt.load.watchers", 100);
    private static final int CLIENT_THREADS = 16;
    private static final Duration BOUND = Duration.ofSeconds(Integer.getInteger("volt.load.boundSeconds", 90));
    private static final String TOKEN = "load-full-token-Hd5Gs9Fb3Jc6Wv2K";

    @TempDir
    Path storeDirectory;

    @Test
    void everyWatcherSeesEveryEventOnceAcrossAReconnect() throws Exception {
        long heapBefore = usedHeapAfterGc();
        FakeEngines engines = new FakeEngines(2, true);
        WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new FileWorkflowStore(storeDirectory))
                .engines(engines.engines())
                .maxConcurrentSteps(64)
                .retryPolicy(RetryPolicy.NO_RETRY)
                .build());
        try (ServerUnderTest api = new ServerUnderTest(orchestrator, TOKEN, TOKEN.replace("full", "read"))) {
            // An open OkHttp WebSocket holds a dispatcher slot for its whole life: room for every watcher (and its
            // reconnect) plus the REST calls, or connections beyond the limit silently wait in the client's queue.
            Dispatcher dispatcher = new Dispatcher();
            dispatcher.setMaxRequests(2 * WATCHERS + 256);
            dispatcher.setMaxRequestsPerHost(2 * WATCHERS + 256);
            OkHttpClient.Builder client = api.http.newBuilder().dispatcher(dispatcher);
            // The latencies measured are the server's: no OpenAPI check inside the timed calls (the other suites
            // check).
            client.interceptors().clear();
            OkHttpClient http = client.build();
            Latencies latencies = new Latencies();

            List<Watcher> watchers = new ArrayList<>();
            Random random = new Random(20261125);
            for (int i = 0; i < WATCHERS; i++) {
                WorkflowId id = WorkflowId.of("wf-load-" + i);
                latencies.time(
                        "create",
                        () -> post(
                                http,
                                api,
                                "/api/v1/workflows",
                                "{\"requirement\":\"load " + id + "\",\"options\":{\"workflowId\":\"" + id + "\"}}"));
                watchers.add(new Watcher(http, api, id, 1 + random.nextInt(6)));
            }
            watchers.forEach(Watcher::awaitOpen);

            long started = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < WORKFLOWS; i++) {
                int n = i;
                calls.add(CompletableFuture.runAsync(
                        () -> {
                            if (n < WATCHERS) {
                                latencies.time(
                                        "start",
                                        () -> post(http, api, "/api/v1/workflows/wf-load-" + n + "/start", ""));
                            } else {
                                latencies.time(
                                        "create+start",
                                        () -> post(
                                                http,
                                                api,
                                                "/api/v1/workflows",
                                                "{\"requirement\":\"load " + n + "\",\"start\":true}"));
                            }
                            latencies.time("status", () -> get(http, api, "/api/v1/workflows?limit=10"));
                        },
                        clients));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            clients.shutdown();
            await().atMost(BOUND)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> orchestrator.getWorkflowAnalytics().completedWorkflows() == WORKFLOWS);
            double allDoneSeconds = (System.nanoTime() - started) / 1e9;

            long lost = 0;
            long duplicated = 0;
            long delivered = 0;
            for (Watcher watcher : watchers) {
                long last = orchestrator.getWorkflowStatus(watcher.id).lastSequence();
                List<Long> seen = watcher.awaitThrough(last);
                delivered += seen.size();
                duplicated += seen.size() - seen.stream().distinct().count();
                lost += last - seen.stream().distinct().count();
                assertThat(seen)
                        .as("watcher of %s", watcher.id)
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, last).boxed().toList());
                assertThat(watcher.connections.get())
                        .as("connections of the watcher of %s", watcher.id)
                        .isEqualTo(2);
                watcher.close();
            }
            assertThat(orchestrator.getWorkflowAnalytics().failedWorkflows()).isZero();
            long heapAfter = usedHeapAfterGc();
            System.out.printf(
                    Locale.ROOT,
                    "load: %d workflows on the file store, %d watchers (each reconnected once), %d events "
                            + "delivered, %d lost, %d duplicated; all completed in %.1f s; %s; heap after GC %d MiB before, %d MiB "
                            + "after%n",
                    WORKFLOWS,
                    WATCHERS,
                    delivered,
                    lost,
                    duplicated,
                    allDoneSeconds,
                    latencies.summary(),
                    heapBefore,
                    heapAfter);
            http.dispatcher().executorService().shutdown();
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    private static void post(OkHttpClient http, ServerUnderTest api, String path, String body) {
        send(
                http,
                new Request.Builder()
                        .url(api.url(path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .post(RequestBody.create(body, ServerUnderTest.JSON))
                        .build());
    }

    private static void get(OkHttpClient http, ServerUnderTest api, String path) {
        send(
                http,
                new Request.Builder()
                        .url(api.url(path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build());
    }

    private static void send(OkHttpClient http, Request request) {
        try (Response response = http.newCall(request).execute()) {
            assertThat(response.code()).as(request.url().encodedPath()).isIn(200, 201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Call latencies by kind, reported as percentiles. */
    private static final class Latencies {
        private final Map<String, List<Long>> nanos = new ConcurrentHashMap<>();

        void time(String kind, Runnable call) {
            long start = System.nanoTime();
            call.run();
            long took = System.nanoTime() - start;
            nanos.computeIfAbsent(kind, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(took);
        }

        String summary() {
            List<String> parts = new ArrayList<>();
            for (String kind : List.of("create", "start", "create+start", "status")) {
                List<Long> sorted = new ArrayList<>(nanos.getOrDefault(kind, List.of()));
                if (sorted.isEmpty()) {
                    continue;
                }
                sorted.sort(null);
                parts.add(String.format(
                        Locale.ROOT,
                        "%s p50 %.1f ms p99 %.1f ms",
                        kind,
                        percentile(sorted, 50),
                        percentile(sorted, 99)));
            }
            return String.join(", ", parts);
        }

        private static double percentile(List<Long> sorted, int p) {
            int index = Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
            return sorted.get(index) / 1e6;
        }
    }

    /**
     * Watches one workflow's stream from the start, closes its connection after {@code dropAfter} events, and
     * reconnects asking for the events after the last sequence it saw.
     */
    private static final class Watcher {
        final WorkflowId id;
        private final OkHttpClient http;
        private final ServerUnderTest api;
        private final int dropAfter;
        private final List<Long> seen = new ArrayList<>();
        private final CompletableFuture<Void> firstOpen = new CompletableFuture<>();
        private final AtomicInteger connections = new AtomicInteger();
        private volatile WebSocket socket;
        /** Why a connection failed, if one did: tells a server-side stall from a dropped connection. */
        private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        Watcher(OkHttpClient http, ServerUnderTest api, WorkflowId id, int dropAfter) {
            this.http = http;
            this.api = api;
            this.id = id;
            this.dropAfter = dropAfter;
            connect(0);
        }

        private void connect(long after) {
            // Frames can arrive before newWebSocket returns: a connection is told apart by its number, not its socket.
            int connection = connections.incrementAndGet();
            socket = http.newWebSocket(
                    new Request.Builder()
                            .url(api.url(
                                    "/api/v1/workflows/" + id + "/stream?after=" + after + "&access_token=" + TOKEN))
                            .build(),
                    new WebSocketListener() {
                        @Override
                        public void onOpen(WebSocket webSocket, Response response) {
                            firstOpen.complete(null);
                        }

                        @Override
                        public void onMessage(WebSocket webSocket, String text) {
                            long sequence;
                            try {
                                JsonNode event = WorkflowJson.mapper().readTree(text);
                                sequence = event.get("sequence").asLong();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            synchronized (Watcher.this) {
                                if (connection != connections.get()) {
                                    return; // a frame still in flight on the dropped connection
                                }
                                seen.add(sequence);
                                Watcher.this.notifyAll();
                                if (connections.get() == 1 && seen.size() == dropAfter) {
                                    webSocket.cancel();
                                    connect(sequence);
                                }
                            }
                        }

                        @Override
                        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
                            if (connection == connections.get()) {
                                failures.add(failure + (response == null ? "" : " (HTTP " + response.code() + ")"));
                            }
                            firstOpen.completeExceptionally(failure);
                        }
                    });
        }

        void awaitOpen() {
            firstOpen.join();
        }

        List<Long> awaitThrough(long last) {
            await().atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .alias("the watcher of " + id + " (drops after " + dropAfter + " events) to see through " + last
                            + "; seen so far: " + seen + " over " + connections.get() + " connections, failures: "
                            + failures)
                    .until(() -> {
                        synchronized (this) {
                            return !seen.isEmpty() && seen.get(seen.size() - 1) >= last;
                        }
                    });
            synchronized (this) {
                return List.copyOf(seen);
            }
        }

        void close() {
            socket.close(1000, "done");
        }
    }
}
