package io.voltworkflow.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * GitHub's pulls, statuses and labels endpoints and its GraphQL draft-state mutations, with state: one repository, its open pull requests. A blocked
 * call prefix holds its request until the test ends (the process that sent it is killed meanwhile).
 */
public final class FakeGitHub extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every call as "METHOD /path". */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Pull requests created. */
    public final AtomicInteger created = new AtomicInteger();
    /** The pull requests by number, as last created or updated. */
    public final Map<Integer, ObjectNode> pulls = new ConcurrentHashMap<>();
    /** Commit statuses as posted, each with the {@code sha} it was posted for. */
    public final List<ObjectNode> statuses = new CopyOnWriteArrayList<>();

    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String blocked;
    private volatile CountDownLatch reached = new CountDownLatch(1);

    /** Holds the next call starting with {@code prefix} ("POST /repos/…") until {@link #releaseAll}. */
    public void block(String prefix) {
        reached = new CountDownLatch(1);
        blocked = prefix;
    }

    public void awaitBlocked() throws InterruptedException {
        assertThat(reached.await(2, TimeUnit.MINUTES))
                .as("a call starting with " + blocked)
                .isTrue();
        blocked = null;
    }

    public void releaseAll() {
        released.countDown();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String line = request.getMethod() + " " + request.getUrl().encodedPath();
        requests.add(line);
        String gate = blocked;
        if (gate != null && line.startsWith(gate)) {
            reached.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse.Builder().code(503).build();
        }
        try {
            return answer(request, line);
        } catch (IOException e) {
            return new MockResponse.Builder().code(500).body(e.toString()).build();
        }
    }

    private MockResponse answer(RecordedRequest request, String line) throws IOException {
        if (line.startsWith("POST /repos/octo/hello/statuses/")) {
            ObjectNode status = (ObjectNode) JSON.readTree(request.getBody().utf8());
            status.put("sha", line.substring(line.lastIndexOf('/') + 1));
            statuses.add(status);
            return json(201, status);
        }
        if (line.equals("GET /repos/octo/hello/pulls")) {
            ArrayNode open = JSON.createArrayNode();
            pulls.values().stream()
                    .filter(pr -> ("octo:" + pr.path("head").path("ref").asText())
                            .equals(request.getUrl().queryParameter("head")))
                    .forEach(open::add);
            return json(200, open);
        }
        if (line.equals("POST /repos/octo/hello/pulls")) {
            JsonNode body = JSON.readTree(request.getBody().utf8());
            for (ObjectNode existing : pulls.values()) {
                if (existing.path("head")
                        .path("ref")
                        .asText()
                        .equals(body.path("head").asText())) {
                    return json(
                            422,
                            JSON.readTree(
                                    "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"PullRequest\","
                                            + "\"code\":\"custom\",\"message\":\"A pull request already exists for octo:"
                                            + body.path("head").asText() + ".\"}]}"));
                }
            }
            int number = created.incrementAndGet();
            ObjectNode pr = JSON.createObjectNode()
                    .put("number", number)
                    .put("node_id", "PR_kwDO" + number)
                    .put("html_url", "https://github.com/octo/hello/pull/" + number)
                    .put("draft", body.path("draft").asBoolean())
                    .put("title", body.path("title").asText())
                    .put("body", body.path("body").asText());
            pr.putObject("head").put("ref", body.path("head").asText());
            pulls.put(number, pr);
            return json(201, pr);
        }
        if (line.startsWith("PATCH /repos/octo/hello/pulls/")) {
            ObjectNode pr = pulls.get(Integer.parseInt(line.substring(line.lastIndexOf('/') + 1)));
            if (pr == null) {
                return json(404, JSON.createObjectNode().put("message", "Not Found"));
            }
            JsonNode body = JSON.readTree(request.getBody().utf8());
            List.of("title", "body").forEach(field -> {
                if (body.has(field)) {
                    pr.set(field, body.get(field));
                }
            });
            return json(200, pr);
        }
        if (line.equals("POST /graphql")) {
            return graphql(JSON.readTree(request.getBody().utf8()));
        }
        if (line.startsWith("POST /repos/octo/hello/issues/")) {
            return json(200, JSON.createArrayNode());
        }
        return json(404, JSON.createObjectNode().put("message", "Not Found"));
    }

    /** GitHub's two draft-state mutations, as documented: by node id, answering the pull request's new state. */
    private MockResponse graphql(JsonNode request) {
        String query = request.path("query").asText();
        String mutation = query.contains("markPullRequestReadyForReview")
                ? "markPullRequestReadyForReview"
                : query.contains("convertPullRequestToDraft") ? "convertPullRequestToDraft" : null;
        String id = request.path("variables").path("id").asText();
        ObjectNode pr = pulls.values().stream()
                .filter(candidate -> candidate.path("node_id").asText().equals(id))
                .findFirst()
                .orElse(null);
        ObjectNode answer = JSON.createObjectNode();
        if (mutation == null || pr == null) {
            answer.putArray("errors")
                    .addObject()
                    .put("type", "NOT_FOUND")
                    .put("message", "Could not resolve to a node with the global id of '" + id + "'");
            return json(200, answer);
        }
        pr.put("draft", mutation.equals("convertPullRequestToDraft"));
        answer.putObject("data")
                .putObject(mutation)
                .putObject("pullRequest")
                .put("isDraft", pr.path("draft").asBoolean());
        return json(200, answer);
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse.Builder()
                .code(code)
                .addHeader("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }
}
