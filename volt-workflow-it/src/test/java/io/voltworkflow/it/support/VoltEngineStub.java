package io.voltworkflow.it.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A Volt protocol engine (docs/engine-protocol.md) behind MockWebServer that answers every operation correctly
 * unless a fault was injected for it. It keeps the engine-side record a real engine must keep: one code generation
 * job per idempotency key, so a re-submitted job is answered with the job already created.
 */
public final class VoltEngineStub extends Dispatcher {
    public enum Operation {
        ANALYZE,
        TASKS,
        SUBMIT,
        POLL,
        VALIDATE,
        CANCEL;

        static Operation of(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            return switch (request.getMethod() + " "
                    + (path.startsWith("/v1/codegen/jobs/") ? "/v1/codegen/jobs/{id}" : path)) {
                case "POST /v1/analyze" -> ANALYZE;
                case "POST /v1/tasks" -> TASKS;
                case "POST /v1/codegen/jobs" -> SUBMIT;
                case "GET /v1/codegen/jobs/{id}" -> POLL;
                case "POST /v1/validate" -> VALIDATE;
                case "DELETE /v1/codegen/jobs/{id}" -> CANCEL;
                default ->
                    throw new IllegalArgumentException("not a Volt protocol request: " + request.getRequestLine());
            };
        }
    }

    /** One request as the engine saw it. */
    public record Call(Operation operation, String idempotencyKey, int attempt, String path) {}

    /**
     * An injected fault. {@code afterProcessing}: the engine does the work (e.g. creates the job) and then the reply
     * is lost, so the client must send the request again.
     */
    private record Fault(Function<RecordedRequest, MockResponse> reply, boolean afterProcessing) {}

    private final Map<Operation, Deque<Fault>> faults = new EnumMap<>(Operation.class);
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, String> jobsByKey = new HashMap<>();
    private int jobsCreated;
    private boolean forgetOnNextPoll;

    public synchronized VoltEngineStub fail(Operation operation, MockResponse... replies) {
        for (MockResponse reply : replies) {
            faults.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(new Fault(request -> reply, false));
        }
        return this;
    }

    /** The next request of {@code operation} fails with {@code code}, its body quoting the request's credentials. */
    public synchronized VoltEngineStub echoCredentials(Operation operation, int code) {
        faults.computeIfAbsent(operation, o -> new ArrayDeque<>())
                .add(new Fault(
                        request -> json(
                                code,
                                "{\"error\":{\"code\":\"AUTH\",\"message\":\"rejected credentials: "
                                        + request.getHeaders().get("Authorization") + " "
                                        + request.getHeaders().get("X-Api-Key") + "\"}}"),
                        false));
        return this;
    }

    public synchronized VoltEngineStub loseReplyAfterProcessing(Operation operation, MockResponse reply) {
        faults.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(new Fault(request -> reply, true));
        return this;
    }

    /** Before answering the next poll, the engine restarts without its records: every job it knew is gone. */
    public synchronized VoltEngineStub forgetJobsBeforeNextPoll() {
        forgetOnNextPoll = true;
        return this;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> calls(Operation operation) {
        return calls.stream().filter(c -> c.operation() == operation).toList();
    }

    public synchronized int jobsCreated() {
        return jobsCreated;
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        Operation operation = Operation.of(request);
        String attempt = request.getHeaders().get("X-Volt-Attempt");
        calls.add(new Call(
                operation,
                request.getHeaders().get("Idempotency-Key"),
                attempt == null ? 0 : Integer.parseInt(attempt),
                request.getUrl().encodedPath()));
        if (operation == Operation.POLL && forgetOnNextPoll) {
            forgetOnNextPoll = false;
            jobsByKey.clear();
        }
        Fault fault = faults.getOrDefault(operation, new ArrayDeque<>()).poll();
        if (fault != null && !fault.afterProcessing()) {
            return fault.reply().apply(request);
        }
        MockResponse answer = answer(operation, request);
        return fault != null ? fault.reply().apply(request) : answer;
    }

    /** What a correct engine answers; the only state is the job record. */
    private MockResponse answer(Operation operation, RecordedRequest request) {
        return switch (operation) {
            case ANALYZE -> json(200, """
          {"summary":"Add login","requirements":["Users log in with email"],"complexity":"low",
           "proposedTasks":[{"id":"T1","title":"Login form","description":"Build it","dependsOn":[],
           "acceptanceCriteria":["a user can log in"],"files":["src/Login.java"]}]}""");
            case TASKS -> json(200, """
          {"tasks":[{"id":"T1","title":"Login form","description":"Build it","dependsOn":[],
           "acceptanceCriteria":["a user can log in"],"files":["src/Login.java"]}]}""");
            case SUBMIT -> {
                String key = request.getHeaders().get("Idempotency-Key");
                String jobId = jobsByKey.computeIfAbsent(key, k -> "job-" + ++jobsCreated);
                yield json(202, "{\"jobId\":\"" + jobId + "\",\"status\":\"queued\"}");
            }
            case POLL -> {
                String jobId = request.getUrl().pathSegments().get(3);
                yield jobsByKey.containsValue(jobId)
                        ? json(200, """
                {"status":"succeeded","result":{"summary":"login form","patch":"diff --git a/x b/x",
                 "files":["src/Login.java"],"reference":"patch://%s","generator":"stub"}}""".formatted(jobId))
                        : json(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no job " + jobId + "\"}}");
            }
            case VALIDATE -> json(200, """
          {"passed":true,"tests":3,"failures":0,"errors":0,"skipped":0,"summary":"3 tests passed","findings":[]}""");
            case CANCEL -> new MockResponse.Builder().code(204).build();
        };
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }
}
