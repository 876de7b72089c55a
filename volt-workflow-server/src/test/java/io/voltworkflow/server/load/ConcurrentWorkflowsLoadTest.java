package io.voltworkflow.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.testing.ServerFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 item 6: 1,000 workflows created and started concurrently through the REST API while 100 WebSocket clients
 * watch 100 of them, on loopback. Every watcher must see its workflow's events 1..last exactly once and in order;
 * creation latency percentiles and heap use are printed, not asserted (no timing assertions).
 */
class ConcurrentWorkflowsLoadTest {
    private static final int WORKFLOWS = 1000;
    private static final int WATCHERS = 100;
    private static final int CLIENT_THREADS = 32;

    @Test
    void thousandWorkflowsWithHundredWatchersLoseNoEvent() throws Exception {
        try (ServerFixture fixture = new ServerFixture(2, b -> b)) {
            Dispatcher dispatcher = new Dispatcher();
            dispatcher.setMaxRequests(256);
            dispatcher.setMaxRequestsPerHost(256);
            OkHttpClient http = fixture.http.newBuilder().dispatcher(dispatcher).build();
            List<Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < WATCHERS; i++) {
                String id = "wf-load-" + i;
                fixture.post(
                        "/api/v1/workflows",
                        "{\"requirement\":\"load " + i + "\",\"options\":{\"workflowId\":\"" + id + "\"}}");
                watchers.add(Watcher.open(
                        http,
                        fixture.url("/api/v1/workflows/" + id + "/stream?after=0&access_token="
                                + ServerFixture.FULL_TOKEN)));
            }
            for (Watcher watcher : watchers) {
                watcher.opened.get(60, TimeUnit.SECONDS);
            }

            long started = System.nanoTime();
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < WORKFLOWS; i++) {
                String path = i < WATCHERS ? "/api/v1/workflows/wf-load-" + i + "/start" : "/api/v1/workflows";
                String body = i < WATCHERS ? "" : "{\"requirement\":\"load " + i + "\",\"start\":true}";
                calls.add(CompletableFuture.runAsync(
                        () -> {
                            long t0 = System.nanoTime();
                            int status = send(
                                    http,
                                    fixture.request(path)
                                            .post(RequestBody.create(body, ServerFixture.JSON))
                                            .build());
                            latencies.add(System.nanoTime() - t0);
                            assertThat(status).isIn(200, 201);
                        },
                        clients));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            clients.shutdown();

            List<WorkflowStatus> all = fixture.orchestrator.listWorkflows(
                    new io.voltworkflow.core.status.WorkflowQuery(java.util.Set.of(), null, null, 0, WORKFLOWS));
            assertThat(all).hasSize(WORKFLOWS);
            for (WorkflowStatus status : all) {
                assertThat(fixture.awaitTermination(status.workflowId()).state())
                        .isEqualTo(WorkflowState.COMPLETED);
            }
            long allDone = System.nanoTime();

            long lost = 0;
            long duplicated = 0;
            long delivered = 0;
            for (int i = 0; i < WATCHERS; i++) {
                long last = fixture.orchestrator
                        .getWorkflowStatus(WorkflowId.of("wf-load-" + i))
                        .lastSequence();
                List<Long> sequences = watchers.get(i).awaitSequence(last);
                delivered += sequences.size();
                duplicated += sequences.size() - sequences.stream().distinct().count();
                assertThat(sequences)
                        .as("watcher " + i)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, last)
                                .boxed()
                                .toList());
                lost += last - sequences.stream().distinct().count();
                watchers.get(i).socket.close(1000, "done");
            }
            String catchUps = send(http, fixture.request("/metrics").get().build(), "volt_stream_store_catchups_total");
            Runtime runtime = Runtime.getRuntime();
            System.gc();
            long heapMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf(
                    Locale.ROOT,
                    "load: %d workflows, %d watchers, %d events delivered, %d lost, %d duplicated;"
                            + " start/create latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms; all completed in %.1f s; %s; heap after GC %d MiB%n",
                    WORKFLOWS,
                    WATCHERS,
                    delivered,
                    lost,
                    duplicated,
                    percentile(sorted, 50),
                    percentile(sorted, 90),
                    percentile(sorted, 99),
                    (allDone - started) / 1e9,
                    catchUps.strip(),
                    heapMb);
            assertThat(lost).isZero();
            http.dispatcher().executorService().shutdown();
        }
    }

    private static double percentile(List<Long> sortedNanos, int p) {
        int index = Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }

    private static int send(OkHttpClient http, Request request) {
        try (Response response = http.newCall(request).execute()) {
            return response.code();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String send(OkHttpClient http, Request request, String metric) {
        try (Response response = http.newCall(request).execute()) {
            return response.body()
                    .string()
                    .lines()
                    .filter(l -> l.startsWith(metric))
                    .findFirst()
                    .orElse(metric + " ?");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** One WebSocket client collecting sequence numbers; duplicates or gaps fail the test when compared. */
    private static final class Watcher extends WebSocketListener {
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        private final List<Long> sequences = new ArrayList<>();
        WebSocket socket;

        static Watcher open(OkHttpClient http, String url) {
            Watcher watcher = new Watcher();
            watcher.socket = http.newWebSocket(new Request.Builder().url(url).build(), watcher);
            return watcher;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public synchronized void onMessage(WebSocket webSocket, String text) {
            try {
                JsonNode event = WorkflowJson.mapper().readTree(text);
                sequences.add(event.get("sequence").asLong());
                notifyAll();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            opened.completeExceptionally(t);
        }

        synchronized List<Long> awaitSequence(long last) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((sequences.isEmpty() || sequences.get(sequences.size() - 1) < last)
                    && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
            }
            return List.copyOf(sequences);
        }
    }
}
