package io.voltworkflow.engines.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every HTTP adapter must do, over real HTTP on loopback: each adapter's test extends this with how to
 * configure it and what its provider answers. The analysis call stands for every call of the adapter: they share
 * one transport and one classification.
 */
public abstract class HttpAdapterContract {
    protected static final String SECRET = "sk-test-contract-0123456789";
    protected static final String ANALYSIS_JSON = """
      {"summary":"Add login","requirements":["Users log in with email"],"complexity":"low",
       "proposedTasks":[{"id":"T1","title":"Login form","description":"Build it","dependsOn":[],
       "acceptanceCriteria":["a user can log in"],"files":["src/Login.java"]}]}""";

    protected MockWebServer server;
    protected EngineFactory factory;
    private final CountDownLatch stalledBodies = new CountDownLatch(1);

    /** The engine's configuration for a server at {@code url}, authenticated with {@link #SECRET}. */
    protected abstract EngineConfig.Builder config(String url);

    /** The provider's successful answer carrying {@link #ANALYSIS_JSON}. */
    protected abstract MockResponse.Builder success();

    /** Checks the request carries the credential the way the provider expects. */
    protected abstract void assertAuthenticated(RecordedRequest request);

    /** The provider's body for a 429 that means its quota is used up. */
    protected String quotaExhaustedBody() {
        return "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}";
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new MockWebServer();
        server.start();
        factory = EngineFactory.create();
    }

    @AfterEach
    void stopServer() {
        stalledBodies.countDown();
        factory.close();
        server.close();
    }

    protected String url() {
        return server.url("/").toString();
    }

    protected CompletionStage<AnalysisResult> analyze(EngineConfig config, TestContext context) {
        return factory.nlp(config).analyze(new AnalysisRequest("Users log in with email", null), context);
    }

    private CompletionStage<AnalysisResult> analyze(TestContext context) {
        return analyze(config(url()).build(), context);
    }

    /**
     * {@code body}, of which the server sends the first {@code bytes} and then nothing until the test ends: a stream
     * that stalls in the middle of an answer.
     */
    protected MockResponseBody stallingAfter(String body, int bytes) {
        byte[] all = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new MockResponseBody() {
            @Override
            public long getContentLength() {
                return all.length;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
                sink.write(all, 0, bytes).flush();
                try {
                    stalledBodies.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.write(all, bytes, all.length - bytes);
            }
        };
    }

    protected static MockResponse json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    @Test
    void success_parsesTheAnswer_sendsCredentialAndIdempotencyKey_recordsRequestId() throws Exception {
        server.enqueue(success().addHeader("x-request-id", "req-42").build());
        TestContext context = TestContext.step(StepType.ANALYSIS);

        AnalysisResult result = Outcomes.result(analyze(context));

        assertThat(result.summary()).isEqualTo("Add login");
        assertThat(result.proposedTasks()).singleElement().satisfies(task -> {
            assertThat(task.id()).isEqualTo("T1");
            assertThat(task.acceptanceCriteria()).containsExactly("a user can log in");
        });
        RecordedRequest request = server.takeRequest();
        assertAuthenticated(request);
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo(context.idempotencyKey());
        assertThat(context.provenance).containsEntry("analyze.request_id", "req-42");
    }

    @ParameterizedTest(name = "HTTP {0} is retryable as {1}")
    @CsvSource({
        "408, TIMEOUT",
        "409, ENGINE_ERROR",
        "429, RATE_LIMITED",
        "500, ENGINE_ERROR",
        "502, ENGINE_UNAVAILABLE",
        "503, ENGINE_UNAVAILABLE",
        "529, ENGINE_UNAVAILABLE"
    })
    void transientStatuses_areRetryable(int status, String code) {
        server.enqueue(json(status, "{\"error\":{\"message\":\"try later\",\"type\":\"overloaded_error\"}}"));

        StepError error = Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS)));

        assertThat(error.retryable()).isTrue();
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).contains("HTTP " + status).contains("try later");
        assertThat(server.getRequestCount())
                .as("no hidden retry inside the adapter")
                .isEqualTo(1);
    }

    @Test
    void retryAfterSeconds_isTheErrorsRetryHint() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "7")
                .body("{}")
                .build());

        StepError error = Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.RATE_LIMITED);
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterHttpDate_isMeasuredOnTheContextsClock() {
        // The virtual clock starts at 2026-01-01T00:00:00Z.
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")
                .build());

        StepError error = Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS)));

        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "HTTP {0} is not retryable")
    @ValueSource(ints = {400, 401, 403, 404, 422})
    void clientErrors_areNotRetryable(int status) {
        server.enqueue(json(status, "{\"error\":{\"message\":\"bad request\"}}"));

        StepError error = Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS)));

        assertThat(error.retryable()).isFalse();
        assertThat(error.recoverable()).isTrue();
        assertThat(error.message()).contains("HTTP " + status);
    }

    @Test
    void quotaExhausted429_isNotRetryable() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "1")
                .body(quotaExhaustedBody())
                .build());

        StepError error = Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.QUOTA_EXHAUSTED);
        assertThat(error.retryable()).isFalse();
    }

    @Test
    void malformedBody_isAnInvalidResponse() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("<html>502 Bad Gateway</html>")
                .build());

        StepError error = Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("not JSON").contains("502 Bad Gateway");
    }

    @ParameterizedTest(name = "chunked={0}")
    @ValueSource(booleans = {false, true})
    void oversizedBody_isRefusedAtTheLimit(boolean chunked) {
        String big = "{\"padding\":\"" + "x".repeat(4096) + "\"}";
        MockResponse.Builder response = new MockResponse.Builder().code(200);
        server.enqueue((chunked ? response.chunkedBody(big, 512) : response.body(big)).build());
        EngineConfig config = config(url())
                .http(HttpOptions.builder().maxResponseBytes(1024).build())
                .build();

        StepError error = Outcomes.failure(analyze(config, TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("1024 bytes");
    }

    @Test
    void stalledBody_failsOnTheReadTimeout() {
        server.enqueue(success().throttleBody(1, 1, TimeUnit.SECONDS).build());
        EngineConfig config = config(url())
                .http(HttpOptions.builder().readTimeout(Duration.ofMillis(200)).build())
                .build();

        StepError error = Outcomes.failure(analyze(config, TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.TIMEOUT);
        assertThat(error.retryable()).isTrue();
    }

    @Test
    void wholeCallTimeout_isARetryableTimeoutNotACancellation() {
        server.enqueue(success().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        // OkHttp enforces callTimeout by cancelling the call; only the step's own cancellation is CANCELLED.
        EngineConfig config = config(url())
                .http(HttpOptions.builder().callTimeout(Duration.ofMillis(300)).build())
                .build();

        StepError error = Outcomes.failure(analyze(config, TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.TIMEOUT);
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("timed out");
    }

    @Test
    void connectionReset_isARetryableNetworkError() {
        server.enqueue(success()
                .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
                .build());

        StepError error = Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.NETWORK_ERROR);
        assertThat(error.retryable()).isTrue();
    }

    @Test
    void cancellation_abortsTheCallInFlight() throws Exception {
        server.enqueue(success().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        TestContext context = TestContext.step(StepType.ANALYSIS);
        CompletionStage<AnalysisResult> call = analyze(context);
        server.takeRequest(30, TimeUnit.SECONDS);

        context.cancellation.cancel("workflow cancelled by alice");

        StepError error = Outcomes.failure(call);
        assertThat(error.code()).isEqualTo(StepError.CANCELLED);
        assertThat(error.message()).contains("workflow cancelled by alice");
    }

    @Test
    void aRetryTellsTheEngineWhyThePreviousAttemptFailed() throws Exception {
        server.enqueue(success().build());
        StepError previous = StepError.retryable(StepError.INVALID_RESPONSE, "the answer lacked $.summary");

        Outcomes.result(analyze(
                config(url()).build(), TestContext.step(StepType.ANALYSIS).retryAfter(previous)));

        String body = server.takeRequest().getBody().utf8();
        assertThat(body).contains("INVALID_RESPONSE").contains("the answer lacked $.summary");
    }

    @Test
    void exhaustedBudget_failsWithoutCalling() {
        StepError error =
                Outcomes.failure(analyze(TestContext.step(StepType.ANALYSIS).exhaustBudget()));

        assertThat(error.code()).isEqualTo(StepError.BUDGET_EXHAUSTED);
        assertThat(error.retryable()).isFalse();
        assertThat(server.getRequestCount()).isZero();
    }
}
