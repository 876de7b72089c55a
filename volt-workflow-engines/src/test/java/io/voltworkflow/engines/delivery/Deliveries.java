package io.voltworkflow.engines.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.DeliveryRequest;
import io.voltworkflow.core.engine.DeliveryRequest.DeliveredTask;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.testing.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** A workspace repository with one commit on {@code main}, a bare remote, and delivery requests of new-file tasks. */
final class Deliveries {
    final Path workspace;
    final Path remote;
    final Git git;
    final Git bare;

    Deliveries(Path root) throws IOException, InterruptedException {
        workspace = Files.createDirectories(root.resolve("workspace"));
        remote = Files.createDirectories(root.resolve("remote.git"));
        git = Git.init(workspace);
        bare = Git.bare(remote);
        git.run("push", "-q", remote.toString(), "main");
    }

    /** Writes what the tasks' patches add into the working tree, as code generation leaves it for validation. */
    void generated(String... ids) throws IOException {
        for (String id : ids) {
            Path file = workspace.resolve("src/" + id + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "task " + id + "\n");
        }
    }

    /** The commit the workflow's branch points at in the bare remote. */
    String head() throws IOException, InterruptedException {
        return bare.run("rev-parse", "volt/wf-1").strip();
    }

    /** A forge's JSON reply. */
    static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    /** The JSON a forge was sent. */
    static JsonNode body(RecordedRequest request) {
        return Json.tryParse(request.getBody().utf8()).orElseThrow();
    }

    static DeliveredTask task(String id, boolean passed) {
        String path = "src/" + id + ".txt";
        String patch = "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path
                + "\n@@ -0,0 +1 @@\n+task " + id + "\n";
        TaskSpec spec = new TaskSpec(
                id,
                "Implement " + id,
                "Does " + id + ".",
                List.of(),
                List.of(id + " works", id + " is tested"),
                List.of(path));
        CodegenResult code = new CodegenResult(
                "code for " + id,
                patch,
                List.of(path),
                null,
                "gpt-test",
                Json.object().put("model", "gpt-test-1").put("repairRound", 1));
        if (!passed) {
            // As the completion step hands over a validation that failed for good: its findings, no result.
            return new DeliveredTask(
                    spec,
                    code,
                    null,
                    1,
                    "in repair round 1 of 1: validation of task " + id + " failed: " + id
                            + "Test.works: expected 4 but was 5 (and 1 more finding); 1 failure, 0 errors of 4 tests\n"
                            + id + "Test.prints: ``` was not closed");
        }
        return new DeliveredTask(spec, code, new ValidationResult(true, 4, 0, 0, 0, "4 passed", List.of(), null), 1);
    }

    static DeliveryRequest request(DeliveredTask... tasks) {
        return new DeliveryRequest(
                "Build a greeting service\nwith tests", new ArrayList<>(List.of(tasks)), new Usage(1200, 300, 0.0421));
    }

    DeliveryOptions.Builder options() {
        return DeliveryOptions.builder(workspace).baseBranch("main");
    }

    DeliveryOptions.Builder pushing() {
        return options().remote(remote.toString()).workflowPage("http://127.0.0.1:7070/workflows/{workflowId}");
    }
}
