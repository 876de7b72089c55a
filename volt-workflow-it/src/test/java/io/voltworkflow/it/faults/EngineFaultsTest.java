package io.voltworkflow.it.faults;

import static io.voltworkflow.it.support.VoltEngineStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.plan.StandardPlan;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.time.VirtualTimeSource;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.it.support.VoltEngineStub;
import io.voltworkflow.it.support.VoltEngineStub.Call;
import io.voltworkflow.it.support.VoltEngineStub.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real workflows (the orchestrator running the standard plan) against the Volt protocol adapter over real HTTP on
 * loopback, with one engine fault per scenario. Backoff runs on a virtual clock, so each test asserts the exact
 * attempts and delays the retry policy implies: 3 attempts, 1 s doubling, no jitter, never shorter than the
 * engine's Retry-After.
 */
class EngineFaultsTest {
    private static final RetryPolicy POLICY = RetryPolicy.builder()
            .maxAttempts(3)
            .initialInterval(Duration.ofSeconds(1))
            .backoffCoefficient(2)
            .jitter(0)
            .build();
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** Longer than any scenario, so that only the step timeout, on the virtual clock, ends a silent call. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** For the stalled-body scenario: long enough that a loaded machine never trips it on a normal reply. */
    private static final Duration SHORT_READ_TIMEOUT = Duration.ofSeconds(2);

    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final AtomicInteger RETRIES = new AtomicInteger();

    private final VoltEngineStub engine = new VoltEngineStub();
    private final VirtualTimeSource clock = new VirtualTimeSource();
    private MockWebServer server;
    private EngineFactory factory;
    private WorkflowOrchestrator orchestrator;

    @AfterAll
    static void summary() {
        System.out.printf(
                "faults: %d scenarios, attempts as policy (%d engine requests, %d retries, every one with "
                        + "its step's idempotency key)%n",
                SCENARIOS.get(), REQUESTS.get(), RETRIES.get());
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(engine);
        server.start();
        factory = EngineFactory.create();
    }

    /** The orchestrator with Volt engines whose HTTP read timeout is {@code readTimeout}. */
    private void open(Duration readTimeout) {
        EngineConfig volt = EngineConfig.builder(EngineKind.VOLT)
                .url(server.url("/").toString())
                .credentials(
                        CredentialSource.of(new Credential.BearerToken(Secret.of("volt-fault-suite-token-0123456789"))))
                .http(HttpOptions.builder().readTimeout(readTimeout).build())
                .build();
        orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new InMemoryWorkflowStore())
                .engines(factory.engines(new EnginesConfig(volt, volt, volt)))
                .timeSource(clock)
                .random(() -> 0.5)
                .stepTimeout(STEP_TIMEOUT)
                .retryPolicy(POLICY)
                .build());
    }

    @AfterEach
    void stop() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        factory.close();
        server.close();
        REQUESTS.addAndGet(engine.calls().size());
        SCENARIOS.incrementAndGet();
    }

    /** A transient fault on one step: retried as the policy says, the workflow completes, one job is created. */
    record Transient(
            String name,
            Operation operation,
            List<MockResponse> faults,
            String step,
            List<String> causes,
            List<Long> delaysMs,
            Duration readTimeout) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Transient> transientFaults() {
        MockResponse stalledBody = new MockResponse.Builder()
                .code(200)
                .body("{\"passed\":true,\"tests\":1}")
                .onResponseBody(SocketEffect.Stall.INSTANCE)
                .build();
        return List.of(
                new Transient(
                        "429 with Retry-After: 7, twice: waits as long as the engine asks",
                        Operation.ANALYZE,
                        List.of(rateLimited("7"), rateLimited("7")),
                        StandardPlan.ANALYSIS,
                        List.of(StepError.RATE_LIMITED, StepError.RATE_LIMITED),
                        List.of(7_000L, 7_000L),
                        READ_TIMEOUT),
                new Transient(
                        "500 then 502: the doubling backoff",
                        Operation.TASKS,
                        List.of(json(500, "{}"), json(502, "bad gateway")),
                        StandardPlan.TASK_CREATION,
                        List.of(StepError.ENGINE_ERROR, StepError.ENGINE_UNAVAILABLE),
                        List.of(1_000L, 2_000L),
                        READ_TIMEOUT),
                new Transient(
                        "529 overloaded",
                        Operation.VALIDATE,
                        List.of(json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}")),
                        "Validate Task T1",
                        List.of(StepError.ENGINE_UNAVAILABLE),
                        List.of(1_000L),
                        READ_TIMEOUT),
                new Transient(
                        "connection reset on submission",
                        Operation.SUBMIT,
                        List.of(reset()),
                        "Generate Code for Task T1",
                        List.of(StepError.NETWORK_ERROR),
                        List.of(1_000L),
                        READ_TIMEOUT),
                new Transient(
                        "stalled body: read timeout",
                        Operation.VALIDATE,
                        List.of(stalledBody),
                        "Validate Task T1",
                        List.of(StepError.TIMEOUT),
                        List.of(1_000L),
                        SHORT_READ_TIMEOUT),
                new Transient(
                        "409 while the same key is processed",
                        Operation.ANALYZE,
                        List.of(json(409, "{\"error\":{\"code\":\"IN_PROGRESS\",\"message\":\"same key running\"}}")),
                        StandardPlan.ANALYSIS,
                        List.of(StepError.ENGINE_ERROR),
                        List.of(1_000L),
                        READ_TIMEOUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFaults")
    void aTransientFaultIsRetriedAsThePolicySays(Transient fault) {
        open(fault.readTimeout());
        engine.fail(fault.operation(), fault.faults().toArray(MockResponse[]::new));

        WorkflowStatus done = drive(startWorkflow());

        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertRetries(done, fault.step(), fault.causes(), fault.delaysMs());
        assertCalls(done, fault.step(), fault.operation(), fault.causes().size() + 1);
        assertThat(engine.jobsCreated()).isEqualTo(1);
    }

    @Test
    void exhaustedAttemptsFailTheWorkflowAndResumeRerunsOnlyTheFailedStep() {
        engine.fail(Operation.VALIDATE, json(503, ""), json(503, ""), json(503, ""));

        WorkflowStatus failed = drive(startWorkflow());

        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().code()).isEqualTo(StepError.ENGINE_UNAVAILABLE);
        assertRetries(
                failed,
                "Validate Task T1",
                List.of(StepError.ENGINE_UNAVAILABLE, StepError.ENGINE_UNAVAILABLE),
                List.of(1_000L, 2_000L));
        assertCalls(failed, "Validate Task T1", Operation.VALIDATE, 3);

        orchestrator.resumeWorkflow(failed.workflowId());
        WorkflowStatus resumed = drive(failed.workflowId());

        assertThat(resumed.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(engine.calls(Operation.VALIDATE)).hasSize(4);
        assertThat(engine.calls(Operation.ANALYZE)).hasSize(1);
        assertThat(engine.calls(Operation.TASKS)).hasSize(1);
        assertThat(engine.calls(Operation.SUBMIT)).hasSize(1);
        assertSameKey(resumed, "Validate Task T1", Operation.VALIDATE);
    }

    /** Duplicate delivery: the engine created the job, the reply was lost, the submission comes again. */
    @Test
    void aSubmissionDeliveredTwiceCreatesOneJob() {
        engine.loseReplyAfterProcessing(Operation.SUBMIT, reset());

        WorkflowStatus done = drive(startWorkflow());

        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertCalls(done, "Generate Code for Task T1", Operation.SUBMIT, 2);
        assertThat(engine.jobsCreated()).isEqualTo(1);
        assertThat(engine.calls(Operation.POLL)).extracting(Call::path).containsExactly("/v1/codegen/jobs/job-1");
        assertThat(done.step("Generate Code for Task T1").orElseThrow().output().toString())
                .contains("patch://job-1");
    }

    @Test
    void anEngineThatNeverAnswersHitsTheStepTimeoutAndTheCallIsCancelled() {
        engine.fail(
                Operation.ANALYZE,
                new MockResponse.Builder()
                        .onResponseStart(SocketEffect.Stall.INSTANCE)
                        .build());
        WorkflowId id = startWorkflow();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> engine.calls(Operation.ANALYZE).size() == 1);

        clock.advance(STEP_TIMEOUT);
        WorkflowStatus done = drive(id);

        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertRetries(done, StandardPlan.ANALYSIS, List.of(StepError.TIMEOUT), List.of(1_000L));
        assertThat(retries(done, StandardPlan.ANALYSIS).get(0).error().message())
                .contains("did not finish within 30000 ms");
        assertCalls(done, StandardPlan.ANALYSIS, Operation.ANALYZE, 2);
    }

    @Test
    void anEngineThatForgetsAJobGetsItSubmittedAgainWithTheSameKey() {
        engine.forgetJobsBeforeNextPoll();

        WorkflowStatus done = drive(startWorkflow());

        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertRetries(done, "Generate Code for Task T1", List.of(StepError.JOB_NOT_FOUND), List.of(1_000L));
        assertCalls(done, "Generate Code for Task T1", Operation.SUBMIT, 2);
        assertThat(engine.calls(Operation.POLL))
                .extracting(Call::path)
                .containsExactly("/v1/codegen/jobs/job-1", "/v1/codegen/jobs/job-2");
        assertThat(engine.jobsCreated()).isEqualTo(2);
    }

    @Test
    void aBadRequestFailsAtOnceWithoutRetry() {
        engine.fail(
                Operation.ANALYZE,
                json(400, "{\"error\":{\"code\":\"INVALID_INPUT\",\"message\":\"no requirement\"}}"));

        WorkflowStatus failed = drive(startWorkflow());

        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().code()).isEqualTo(StepError.INVALID_INPUT);
        assertRetries(failed, StandardPlan.ANALYSIS, List.of(), List.of());
        assertCalls(failed, StandardPlan.ANALYSIS, Operation.ANALYZE, 1);
        assertThat(engine.calls()).hasSize(1);
    }

    @Test
    void anExhaustedQuotaIsNotRetried() {
        engine.fail(
                Operation.ANALYZE,
                new MockResponse.Builder()
                        .code(429)
                        .addHeader("Retry-After", "1")
                        .body(
                                "{\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\",\"message\":\"quota\"}}")
                        .build());

        WorkflowStatus failed = drive(startWorkflow());

        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.error().code()).isEqualTo("QUOTA_EXHAUSTED");
        assertThat(failed.error().recoverable()).isTrue();
        assertRetries(failed, StandardPlan.ANALYSIS, List.of(), List.of());
        assertCalls(failed, StandardPlan.ANALYSIS, Operation.ANALYZE, 1);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private WorkflowId startWorkflow() {
        if (orchestrator == null) {
            open(READ_TIMEOUT);
        }
        WorkflowId id = orchestrator
                .createWorkflow("Users log in with email", Map.of("language", "Java"), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);
        return id;
    }

    /**
     * Runs the workflow to a terminal state: waits for the engine calls (real HTTP), and moves the virtual clock only
     * when nothing runs and a step waits for its retry, so timeouts fire only where a scenario says so.
     */
    private WorkflowStatus drive(WorkflowId id) {
        while (true) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                WorkflowStatus status = orchestrator.getWorkflowStatus(id);
                return status.state().isTerminal()
                        || (status.runningSteps() == 0
                                && status.steps().stream().anyMatch(s -> s.state() == StepState.RETRY_WAIT));
            });
            WorkflowStatus status = orchestrator.getWorkflowStatus(id);
            if (status.state().isTerminal()) {
                return status;
            }
            clock.advance(clock.untilNextTask());
        }
    }

    private List<WorkflowEvent.StepRetrying> retries(WorkflowStatus status, String step) {
        return orchestrator.events(status.workflowId(), 0, 10_000).stream()
                .map(EventRecord::event)
                .filter(e ->
                        e instanceof WorkflowEvent.StepRetrying r && r.step().equals(step))
                .map(WorkflowEvent.StepRetrying.class::cast)
                .toList();
    }

    private void assertRetries(WorkflowStatus status, String step, List<String> codes, List<Long> delaysMs) {
        List<WorkflowEvent.StepRetrying> retries = retries(status, step);
        assertThat(retries)
                .extracting(r -> r.error().code())
                .as("retry causes of %s", step)
                .containsExactlyElementsOf(codes);
        assertThat(retries)
                .extracting(WorkflowEvent.StepRetrying::delayMs)
                .as("retry delays of %s", step)
                .containsExactlyElementsOf(delaysMs);
        RETRIES.addAndGet(retries.size());
    }

    /** The step made exactly {@code attempts} attempts, each one request numbered in order, all with the step's key. */
    private void assertCalls(WorkflowStatus status, String step, Operation operation, int attempts) {
        StepStatus stepStatus = status.step(step).orElseThrow();
        assertThat(stepStatus.attempts()).as("attempts of %s", step).isEqualTo(attempts);
        assertThat(engine.calls(operation))
                .extracting(Call::attempt)
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, attempts).boxed().toList());
        assertSameKey(status, step, operation);
    }

    private void assertSameKey(WorkflowStatus status, String step, Operation operation) {
        assertThat(engine.calls(operation))
                .extracting(Call::idempotencyKey)
                .containsOnly(status.step(step).orElseThrow().idempotencyKey());
    }

    private static MockResponse rateLimited(String retryAfterSeconds) {
        return new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", retryAfterSeconds)
                .body("{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"model busy\"}}")
                .build();
    }

    private static MockResponse reset() {
        return new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
                .build();
    }
}
