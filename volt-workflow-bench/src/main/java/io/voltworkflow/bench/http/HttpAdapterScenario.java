package io.voltworkflow.bench.http;

import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.Stats;
import io.voltworkflow.bench.dag.Workloads;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.time.SystemTimeSource;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.http.HttpTransport;
import io.voltworkflow.engines.volt.VoltEngine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Our Volt engine client ({@code validate}) against a bare OkHttp call with the same body to the same loopback
 * server: what the adapter adds (request mapping, idempotency and tracing headers, response schema check and
 * mapping, error classification). Latency one call at a time; throughput with 32 calls in flight.
 */
public final class HttpAdapterScenario implements Scenario {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int IN_FLIGHT = 32;
    private static final double TARGET_RATIO = 1.10;

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String summary() {
        return "engine HTTP client overhead over a bare OkHttp call to the same loopback server";
    }

    @Override
    public int maxScale() {
        return 100;
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        int calls = settings.pick(1000, 50) * settings.scale();
        int warmup = settings.pick(3000, 20);
        ValidationRequest request = new ValidationRequest(
                WorkflowJson.mapper().createObjectNode().put("language", "java"),
                new TaskSpec(
                        "t1", "Add login", "Add a login form", List.of(), List.of("tests pass"), List.of("Login.java")),
                new CodegenResult(
                        "login form",
                        "--- a/Login.java\n+++ b/Login.java\n",
                        List.of("Login.java"),
                        null,
                        "bench",
                        null));
        byte[] body = WorkflowJson.mapper().writeValueAsBytes(request);
        // The same dispatcher limits as our transport, so both can have 32 calls in flight to one host.
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(128);
        dispatcher.setMaxRequestsPerHost(IN_FLIGHT);
        OkHttpClient bare = new OkHttpClient.Builder().dispatcher(dispatcher).build();
        try (LoopbackEngineServer server = new LoopbackEngineServer();
                HttpTransport transport = HttpTransport.create();
                SystemTimeSource time = new SystemTimeSource()) {
            HttpUrl base = HttpUrl.get(server.baseUrl());
            HttpUrl url = base.newBuilder()
                    .addPathSegments(LoopbackEngineServer.PATH.substring(1))
                    .build();
            VoltEngine engine = new VoltEngine(
                    transport.endpoint(VoltEngine.ENGINE, HttpOptions.DEFAULTS, CredentialSource.NONE, Map.of()), base);
            BenchEngineContext context = new BenchEngineContext(time);
            Supplier<CompletableFuture<?>> baselineCall = () -> bareCall(bare, url, body);
            Supplier<CompletableFuture<?>> ourCall =
                    () -> engine.validate(request, context).toCompletableFuture();

            latenciesMicros(baselineCall, warmup);
            latenciesMicros(ourCall, warmup);
            double[] baselineLatency = latenciesMicros(baselineCall, calls);
            double[] ourLatency = latenciesMicros(ourCall, calls);
            double baselineRate = callsPerSecond(baselineCall, calls);
            double ourRate = callsPerSecond(ourCall, calls);
            double baselineMedian = Stats.median(baselineLatency);
            double ourMedian = Stats.median(ourLatency);
            String note = calls + " calls to a JDK HttpServer on loopback";
            return List.of(
                    new Figure(
                            name(),
                            settings.scale(),
                            "median call latency (Volt engine validate)",
                            "µs",
                            baselineMedian,
                            ourMedian,
                            "ratio ≤ 1.10",
                            Figure.verdict(ourMedian / baselineMedian <= TARGET_RATIO),
                            note),
                    new Figure(
                            name(),
                            settings.scale(),
                            "p99 call latency",
                            "µs",
                            Stats.percentile(baselineLatency, 99),
                            Stats.percentile(ourLatency, 99),
                            "",
                            Figure.Verdict.NONE,
                            note),
                    new Figure(
                            name(),
                            settings.scale(),
                            "calls/s, " + IN_FLIGHT + " in flight",
                            "calls/s",
                            baselineRate,
                            ourRate,
                            "ratio ≥ 0.91",
                            Figure.verdict(ourRate / baselineRate >= 1 / TARGET_RATIO),
                            note));
        } finally {
            bare.dispatcher().executorService().shutdown();
            bare.connectionPool().evictAll();
        }
    }

    private static CompletableFuture<byte[]> bareCall(OkHttpClient client, HttpUrl url, byte[] body) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Request request = new Request.Builder()
                .url(url)
                .post(RequestBody.create(body, JSON))
                .build();
        client.newCall(request).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    result.complete(response.body().bytes());
                } catch (IOException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static double[] latenciesMicros(Supplier<CompletableFuture<?>> call, int count) throws Exception {
        double[] micros = new double[count];
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            call.get().get(1, TimeUnit.MINUTES);
            micros[i] = (System.nanoTime() - started) / 1000.0;
        }
        return micros;
    }

    private static double callsPerSecond(Supplier<CompletableFuture<?>> call, int count) throws Exception {
        return count / (Workloads.runConcurrently(count, IN_FLIGHT, call) / 1e9);
    }
}
