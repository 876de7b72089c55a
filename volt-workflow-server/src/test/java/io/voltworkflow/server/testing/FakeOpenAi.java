package io.voltworkflow.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible endpoint on loopback that answers like a model asked for one small task: analysis, a plan
 * with task T1, and a patch adding {@code hello/T1.txt}; {@code /v1/models} lists {@value #MODEL}. Requests without
 * the bearer token {@value #KEY} get 401. A {@link #correctingItself() self-correcting} fake first answers task
 * creation with a plan that depends on an unknown task and code generation with a patch that does not apply, and
 * answers correctly only once the prompt carries the previous attempt's error, as a deterministic model would. A
 * {@link #repairingAfterValidation() repairing} fake writes {@code helo} into the file until a repair round tells it
 * validation failed, then writes {@code hello}. Asked to stream, it answers in server-sent events as OpenAI
 * does.
 */
public final class FakeOpenAi implements AutoCloseable {
    public static final String KEY = "sk-fake-0123456789";
    public static final String MODEL = "gpt-fake";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = "{\"id\":\"T1\",\"title\":\"Greeting file\",\"description\":\"add it\","
            + "\"dependsOn\":[],\"acceptanceCriteria\":[\"the file exists\"],\"files\":[\"hello/T1.txt\"]}";

    private final MockWebServer server = new MockWebServer();
    public final List<String> operations = new CopyOnWriteArrayList<>();
    /** The user prompt of every chat request, in order. */
    public final List<String> prompts = new CopyOnWriteArrayList<>();

    private volatile boolean correcting;
    private volatile boolean repairing;

    public FakeOpenAi() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
    }

    public FakeOpenAi correctingItself() {
        correcting = true;
        return this;
    }

    public FakeOpenAi repairingAfterValidation() {
        repairing = true;
        return this;
    }

    /** The base URL, as {@code OPENAI_BASE_URL} takes it. */
    public String url() {
        return server.url("/v1").toString();
    }

    private MockResponse answer(RecordedRequest request) {
        if (!("Bearer " + KEY).equals(request.getHeaders().get("Authorization"))) {
            return json(
                    401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}");
        }
        String path = request.getUrl().encodedPath();
        if (path.equals("/v1/models")) {
            return json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
        }
        try {
            JsonNode body = JSON.readTree(request.getBody().utf8());
            String system = body.path("messages").path(0).path("content").asText();
            String operation = system.substring("You are the ".length(), system.indexOf(" engine"));
            String prompt = body.path("messages").path(1).path("content").asText();
            operations.add(operation);
            prompts.add(prompt);
            boolean wrong = correcting && !prompt.contains("<previous_attempt_error>");
            String content =
                    switch (operation) {
                        case "analyze" ->
                            "{\"summary\":\"greeting\",\"requirements\":[\"a greeting file\"],\"complexity\":\"low\","
                                    + "\"proposedTasks\":[" + TASK + "]}";
                        case "create_tasks" ->
                            "{\"tasks\":[" + (wrong ? TASK.replace("\"dependsOn\":[]", "\"dependsOn\":[\"T9\"]") : TASK)
                                    + "]}";
                        default ->
                            JSON.createObjectNode()
                                    .put("summary", "adds the greeting")
                                    .put("patch", codegenPatch(wrong, prompt))
                                    .set("files", JSON.createArrayNode().add("hello/T1.txt"))
                                    .toString();
                    };
            return body.path("stream").asBoolean() ? events(content) : json(200, completion(content));
        } catch (IOException | RuntimeException e) {
            return json(
                    400,
                    "{\"error\":{\"message\":\"unreadable request: "
                            + e.getClass().getSimpleName() + "\"}}");
        }
    }

    private String codegenPatch(boolean wrong, String prompt) {
        if (wrong) {
            return "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-# not what the file says\n+# hello\n";
        }
        boolean typo = repairing && !prompt.contains("<validation_failure>");
        return "diff --git a/hello/T1.txt b/hello/T1.txt\nnew file mode 100644\n--- /dev/null\n+++ b/hello/T1.txt\n"
                + "@@ -0,0 +1 @@\n+" + (typo ? "helo" : "hello") + "\n";
    }

    private static String completion(String content) {
        ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-1").put("model", MODEL);
        body.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("message")
                .put("role", "assistant")
                .put("content", content);
        body.putObject("usage")
                .put("prompt_tokens", 100)
                .put("completion_tokens", 20)
                .put("total_tokens", 120);
        return body.toString();
    }

    /** The answer as content chunks, a finish chunk, a usage chunk and {@code [DONE]}. */
    private static MockResponse events(String content) {
        StringBuilder events = new StringBuilder();
        for (int from = 0; from < content.length(); from += 16) {
            ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-1").put("model", MODEL);
            chunk.putArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("finish_reason")
                    .putObject("delta")
                    .put("content", content.substring(from, Math.min(content.length(), from + 16)));
            events.append("data: ").append(chunk).append("\n\n");
        }
        ObjectNode finish = JSON.createObjectNode().put("id", "chatcmpl-1").put("model", MODEL);
        finish.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("delta");
        ObjectNode usage = JSON.createObjectNode().put("id", "chatcmpl-1").put("model", MODEL);
        usage.putArray("choices");
        usage.putObject("usage")
                .put("prompt_tokens", 100)
                .put("completion_tokens", 20)
                .put("total_tokens", 120);
        events.append("data: ")
                .append(finish)
                .append("\n\ndata: ")
                .append(usage)
                .append("\n\ndata: [DONE]\n\n");
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .chunkedBody(events.toString(), 128)
                .build();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
