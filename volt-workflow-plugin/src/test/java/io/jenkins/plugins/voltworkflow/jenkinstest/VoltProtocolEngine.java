package io.jenkins.plugins.voltworkflow.jenkinstest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A Volt-protocol engine on loopback (MockWebServer): analysis, a plan of two tasks ("tokens", then "login" which
 * depends on it), asynchronous code generation jobs, and validation. Code generation jobs stay "running" while
 * {@link #holdJobs} is set, so a test can restart Jenkins while a job is in flight. Records every request.
 */
final class VoltProtocolEngine extends Dispatcher implements AutoCloseable {

    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    final Map<String, Integer> submissions = new ConcurrentHashMap<>();
    final AtomicBoolean holdJobs = new AtomicBoolean();
    private final MockWebServer server = new MockWebServer();

    VoltProtocolEngine() throws IOException {
        server.setDispatcher(this);
        server.start();
    }

    String url() {
        return server.url("/").toString();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if (method.equals("POST") && path.equals("/v1/analyze")) {
            return json("{\"summary\":\"JWT login\",\"requirements\":[\"tokens\",\"login\"],\"proposedTasks\":[],"
                    + "\"complexity\":\"medium\"}");
        }
        if (method.equals("POST") && path.equals("/v1/tasks")) {
            return json("{\"tasks\":[{\"id\":\"tokens\",\"title\":\"Issue JWT tokens\",\"dependsOn\":[]},"
                    + "{\"id\":\"login\",\"title\":\"Login endpoint\",\"dependsOn\":[\"tokens\"]}]}");
        }
        if (method.equals("POST") && path.equals("/v1/codegen/jobs")) {
            String task = request.getBody() != null && request.getBody().utf8().contains("\"id\":\"login\"") ? "login" : "tokens";
            submissions.merge(task, 1, Integer::sum);
            return json("{\"jobId\":\"job-" + task + "\"}");
        }
        if (method.equals("GET") && path.startsWith("/v1/codegen/jobs/job-")) {
            String task = path.substring("/v1/codegen/jobs/job-".length());
            if (holdJobs.get()) {
                return json("{\"status\":\"running\",\"message\":\"generating\",\"pollAfterSeconds\":0.2}");
            }
            return json("{\"status\":\"succeeded\",\"result\":{\"summary\":\"code for " + task + "\",\"patch\":\"--- a/"
                    + task + "\\n+++ b/" + task + "\\n\",\"files\":[\"" + task + ".js\"],\"reference\":\"patches/" + task
                    + ".patch\",\"generator\":\"mock\"}}");
        }
        if (method.equals("DELETE") && path.startsWith("/v1/codegen/jobs/")) {
            return new MockResponse.Builder().code(204).build();
        }
        if (method.equals("POST") && path.equals("/v1/validate")) {
            return json("{\"passed\":true,\"tests\":3,\"failures\":0,\"errors\":0,\"skipped\":0,\"summary\":\"3 tests\"}");
        }
        return new MockResponse.Builder().code(404).body("{\"error\":{\"code\":\"NOT_FOUND\"}}").build();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
