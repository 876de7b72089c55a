package io.voltworkflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestApiTest {
    private ServerFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ServerFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void createsWithoutStartingThenStartsAndRunsToCompletion() {
        Reply created = fixture.post(
                "/api/v1/workflows",
                "{\"requirement\":\"Build a REST API for user management\",\"projectContext\":{\"language\":\"Java\"},"
                        + "\"options\":{\"labels\":{\"team\":\"payments\"},\"workflowId\":\"wf-users\"}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/workflows/wf-users/status");
        JsonNode status = created.json();
        assertThat(status.get("workflowId").asText()).isEqualTo("wf-users");
        assertThat(status.get("state").asText()).isIn("created", "initialized");
        assertThat(status.get("projectContext").get("language").asText()).isEqualTo("Java");

        Reply started = fixture.post("/api/v1/workflows/wf-users/start", "");
        assertThat(started.status()).isEqualTo(200);
        assertThat(fixture.awaitTermination(WorkflowId.of("wf-users")).state()).isEqualTo(WorkflowState.COMPLETED);

        JsonNode done = fixture.get("/api/v1/workflows/wf-users/status").json();
        assertThat(done.get("state").asText()).isEqualTo("completed");
        assertThat(done.get("progress").get("percent").asDouble()).isEqualTo(100.0);
        assertThat(done.get("steps")).extracting(s -> s.get("state").asText()).containsOnly("completed");
    }

    @Test
    void refusesAChosenIdThatExistsWithAnotherRequirement() {
        fixture.post("/api/v1/workflows", "{\"requirement\":\"one\",\"options\":{\"workflowId\":\"wf-fixed\"}}");
        Reply again = fixture.post(
                "/api/v1/workflows", "{\"requirement\":\"one\",\"options\":{\"workflowId\":\"wf-fixed\"}}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("workflowId").asText()).isEqualTo("wf-fixed");

        Reply other = fixture.post(
                "/api/v1/workflows", "{\"requirement\":\"two\",\"options\":{\"workflowId\":\"wf-fixed\"}}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.error().get("code").asText()).isEqualTo("WORKFLOW_EXISTS");
        assertThat(other.error().get("field").asText()).isEqualTo("options.workflowId");
    }

    @Test
    void aCreateRetriedAfterItsAnswerWasLostReturnsTheWorkflowAsItIsNow() {
        String startBody = "{\"requirement\":\"retried\",\"start\":true,\"projectContext\":{\"a\":1,\"b\":2},"
                + "\"options\":{\"workflowId\":\"wf-retried\",\"labels\":{\"team\":\"a\"}}}";
        Reply first = fixture.post("/api/v1/workflows", startBody);
        assertThat(first.status()).isEqualTo(201);
        assertThat(fixture.awaitTermination(WorkflowId.of("wf-retried")).state())
                .isEqualTo(WorkflowState.COMPLETED);
        Reply retried = fixture.post("/api/v1/workflows", startBody.replace("{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}"));
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("state").asText()).isEqualTo("completed");
        assertThat(retried.json().get("lastSequence").asLong())
                .isEqualTo(fixture.get("/api/v1/workflows/wf-retried/status")
                        .json()
                        .get("lastSequence")
                        .asLong());

        String idleBody = "{\"requirement\":\"idle\",\"options\":{\"workflowId\":\"wf-idle\"}}";
        assertThat(fixture.post("/api/v1/workflows", idleBody).status()).isEqualTo(201);
        Reply idleAgain = fixture.post("/api/v1/workflows", idleBody);
        assertThat(idleAgain.status()).isEqualTo(200);
        assertThat(idleAgain.json().get("state").asText()).isEqualTo("initialized");

        Reply otherLabels = fixture.post("/api/v1/workflows", startBody.replace("\"team\":\"a\"", "\"team\":\"b\""));
        assertThat(otherLabels.status()).isEqualTo(409);
        assertThat(otherLabels.error().get("code").asText()).isEqualTo("WORKFLOW_EXISTS");
    }

    @Test
    void listsWithStateAndLabelFiltersAndPages() {
        fixture.post("/api/v1/workflows", "{\"requirement\":\"one\",\"options\":{\"labels\":{\"team\":\"a\"}}}");
        fixture.post("/api/v1/workflows", "{\"requirement\":\"two\",\"options\":{\"labels\":{\"team\":\"b\"}}}");
        WorkflowId third = fixture.createStarted("three");
        fixture.awaitTermination(third);

        JsonNode all = fixture.get("/api/v1/workflows").json();
        assertThat(all.get("workflows")).hasSize(3);
        assertThat(all.get("nextOffset").isNull()).isTrue();

        JsonNode completed = fixture.get("/api/v1/workflows?state=completed").json();
        assertThat(completed.get("workflows"))
                .extracting(w -> w.get("workflowId").asText())
                .containsExactly(third.value());

        JsonNode teamB = fixture.get("/api/v1/workflows?label=team=b").json();
        assertThat(teamB.get("workflows"))
                .extracting(w -> w.get("requirement").asText())
                .containsExactly("two");

        JsonNode firstPage = fixture.get("/api/v1/workflows?limit=2").json();
        assertThat(firstPage.get("workflows")).hasSize(2);
        assertThat(firstPage.get("nextOffset").asInt()).isEqualTo(2);
        JsonNode secondPage = fixture.get("/api/v1/workflows?limit=2&offset=2").json();
        assertThat(secondPage.get("workflows")).hasSize(1);
    }

    @Test
    void pausesResumesAndCancelsWithConflictsForIllegalTransitions() {
        CompletableFuture<Void> gate = fixture.engines.closeGate();
        WorkflowId id = fixture.createStarted("held at validation");

        Reply paused = fixture.post("/api/v1/workflows/" + id + "/pause", "");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("state").asText()).isEqualTo("paused");

        Reply startPaused = fixture.post("/api/v1/workflows/" + id + "/start", "");
        assertThat(startPaused.status()).isEqualTo(409);
        assertThat(startPaused.error().get("code").asText()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(startPaused.error().get("message").asText()).contains("paused");

        Reply resumed = fixture.post("/api/v1/workflows/" + id + "/resume", "");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().get("state").asText()).isEqualTo("running");

        Reply cancelled = fixture.post("/api/v1/workflows/" + id + "/cancel", "{\"reason\":\"not needed\"}");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asText()).isEqualTo("cancelled");
        gate.complete(null);

        Reply resumeCancelled = fixture.post("/api/v1/workflows/" + id + "/resume", "");
        assertThat(resumeCancelled.status()).isEqualTo(409);
        assertThat(resumeCancelled.error().get("message").asText()).contains("cancelled");
    }

    @Test
    void recoversAFailedWorkflowByResumingIt() {
        fixture.engines.failValidationOnce();
        Reply created = fixture.post(
                "/api/v1/workflows",
                "{\"requirement\":\"fails once\",\"start\":true,\"options\":{\"maxRepairRounds\":0}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        WorkflowId id = WorkflowId.of(created.json().get("workflowId").asText());
        assertThat(fixture.awaitTermination(id).state()).isEqualTo(WorkflowState.FAILED);

        JsonNode failed = fixture.get("/api/v1/workflows/" + id + "/status").json();
        assertThat(failed.get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");

        assertThat(fixture.post("/api/v1/workflows/" + id + "/resume", "").status())
                .isEqualTo(200);
        assertThat(fixture.awaitTermination(id).state()).isEqualTo(WorkflowState.COMPLETED);
    }

    @Test
    void aTaskThatFailsValidationIsRepaired_theRoundShowsInStatusEventsAndMetrics_andBothPatchesDownload() {
        fixture.engines.failValidationOnce();
        WorkflowId id = fixture.createStarted("repaired once");
        assertThat(fixture.awaitTermination(id).state()).isEqualTo(WorkflowState.COMPLETED);

        JsonNode status = fixture.get("/api/v1/workflows/" + id + "/status").json();
        List<JsonNode> inRepair = new ArrayList<>();
        status.get("steps").forEach(step -> {
            if (step.get("repairRound").asInt() > 0 && step.get("type").asText().equals("codegen")) {
                inRepair.add(step);
            }
        });
        assertThat(inRepair).as(status.toString()).hasSize(1);
        JsonNode repaired = inRepair.get(0);
        assertThat(repaired.get("maxRepairRounds").asInt()).isEqualTo(2);
        assertThat(repaired.get("repairFeedback").get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(repaired.get("idempotencyKey").asText()).endsWith("-r1");

        JsonNode events =
                fixture.get("/api/v1/workflows/" + id + "/events").json().get("events");
        List<JsonNode> rounds = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("type").asText().equals("repair_round_started")) {
                rounds.add(e);
            }
        });
        assertThat(rounds).hasSize(1);
        assertThat(rounds.get(0).get("step").asText())
                .isEqualTo(repaired.get("name").asText());
        assertThat(rounds.get(0).get("data").get("round").asInt()).isEqualTo(1);

        JsonNode metrics = fixture.get("/api/v1/workflows/" + id + "/metrics").json();
        assertThat(metrics.get("repair").get("tasksRepaired").asInt()).isEqualTo(1);
        assertThat(metrics.get("repair").get("tasksPassedAfterRepair").asInt()).isEqualTo(1);

        JsonNode patches = fixture.get("/api/v1/workflows/" + id + "/patches").json();
        assertThat(patches.get("complete").asBoolean()).isTrue();
        List<JsonNode> ofRepairedTask = new ArrayList<>();
        patches.get("patches").forEach(p -> {
            if (p.get("step").asText().equals(repaired.get("name").asText())) {
                ofRepairedTask.add(p);
            }
        });
        assertThat(ofRepairedTask).extracting(p -> p.get("repairRound").asInt()).containsExactly(0, 1);
        assertThat(ofRepairedTask.get(1).get("reference").asText()).endsWith("-r1");
        assertThat(ofRepairedTask.get(1).get("patchSha256").asText()).hasSize(64);
        assertThat(ofRepairedTask.get(1).get("startedAt").isTextual()).isTrue();
    }

    @Test
    void pagesThroughEventsAfterASequenceNumber() {
        WorkflowId id = fixture.createStarted("events");
        long last = fixture.awaitTermination(id).lastSequence();

        JsonNode all = fixture.get("/api/v1/workflows/" + id + "/events").json();
        assertThat(all.get("lastSequence").asLong()).isEqualTo(last);
        List<Long> sequences = new ArrayList<>();
        all.get("events").forEach(e -> sequences.add(e.get("sequence").asLong()));
        assertThat(sequences).hasSize((int) last).first().isEqualTo(1L);
        assertThat(all.get("events").get(0).get("type").asText()).isEqualTo("workflow_created");
        assertThat(all.get("events").get(0).has("step")).isTrue();

        JsonNode page = fixture.get("/api/v1/workflows/" + id + "/events?after=3&limit=2")
                .json();
        assertThat(page.get("events"))
                .extracting(e -> e.get("sequence").asLong())
                .containsExactly(4L, 5L);
        assertThat(page.get("lastSequence").asLong()).isEqualTo(last);

        JsonNode none =
                fixture.get("/api/v1/workflows/" + id + "/events?after=" + last).json();
        assertThat(none.get("events")).isEmpty();
    }

    @Test
    void servesMetricsAnalyticsAndTheOpenApiDocument() {
        WorkflowId id = fixture.createStarted("figures");
        fixture.awaitTermination(id);

        JsonNode metrics = fixture.get("/api/v1/workflows/" + id + "/metrics").json();
        assertThat(metrics.get("workflowId").asText()).isEqualTo(id.value());
        assertThat(metrics.get("completedSteps").asInt())
                .isEqualTo(metrics.get("totalSteps").asInt());

        JsonNode analytics = fixture.get("/api/v1/analytics").json();
        assertThat(analytics.get("totalWorkflows").asLong()).isEqualTo(1);
        assertThat(analytics.get("completedWorkflows").asLong()).isEqualTo(1);
        assertThat(analytics.get("stepLatency").has("codegen")).isTrue();

        Reply openApi = fixture.call(new okhttp3.Request.Builder()
                .url(fixture.url("/api/v1/openapi.yaml"))
                .build());
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.header("Content-Type")).startsWith("application/yaml");
        assertThat(openApi.body()).startsWith("openapi: 3.0.3").contains("/workflows/{id}/stream:");
    }

    @Test
    void servesHealthReadinessAndPrometheusMetrics() {
        WorkflowId id = fixture.createStarted("scraped");
        fixture.awaitTermination(id);

        Reply health = fixture.call(
                new okhttp3.Request.Builder().url(fixture.url("/healthz")).build());
        assertThat(health.status()).isEqualTo(200);
        Reply ready = fixture.call(
                new okhttp3.Request.Builder().url(fixture.url("/readyz")).build());
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");

        Reply metrics = fixture.get("/metrics");
        assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("volt_workflows_finished_total{state=\"completed\"} 1")
                .contains("volt_workflows{state=\"running\"} 0")
                .contains("volt_step_duration_seconds_count{type=\"validation\"} 2")
                .contains("volt_step_attempts_total{type=\"validation\",outcome=\"success\"} 2")
                .contains("volt_step_retries_total 0")
                .contains("volt_step_queue_depth 0")
                .contains("volt_dispatch_queue_depth 0")
                .contains("volt_event_bus_backlog ")
                .contains("volt_event_lag_seconds_bucket{le=\"+Inf\"}");
    }

    @Test
    void refusesBadRequestsNamingTheField() {
        assertInvalid("{}", "requirement");
        assertInvalid("{\"requirement\":\"  \"}", "requirement");
        assertInvalid("{\"requirement\":42}", "requirement");
        assertInvalid("{\"requirement\":\"x\",\"requirment\":\"typo\"}", "requirment");
        assertInvalid("{\"requirement\":\"x\",\"projectContext\":[1]}", "projectContext");
        assertInvalid("{\"requirement\":\"x\",\"start\":\"yes\"}", "start");
        assertInvalid("{\"requirement\":\"x\",\"options\":{\"deadlineMs\":0}}", "options.deadlineMs");
        assertInvalid("{\"requirement\":\"x\",\"options\":{\"maxConcurrentSteps\":1.5}}", "options.maxConcurrentSteps");
        assertInvalid(
                "{\"requirement\":\"x\",\"options\":{\"budget\":{\"maxCostUsd\":-1}}}", "options.budget.maxCostUsd");
        assertInvalid("{\"requirement\":\"x\",\"options\":{\"labels\":{\"team\":7}}}", "options.labels.team");
        assertInvalid("{\"requirement\":\"x\",\"options\":{\"workflowId\":\"../etc\"}}", "options.workflowId");

        Reply notJson = fixture.post("/api/v1/workflows", "{\"requirement\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error().get("message").asText()).startsWith("request body is not valid JSON");

        Reply badState = fixture.get("/api/v1/workflows?state=done");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.error().get("field").asText()).isEqualTo("state");

        Reply badLimit = fixture.get("/api/v1/workflows?limit=0");
        assertThat(badLimit.error().get("field").asText()).isEqualTo("limit");

        WorkflowId id = fixture.createStarted("bad paging");
        Reply badAfter = fixture.get("/api/v1/workflows/" + id + "/events?after=-1");
        assertThat(badAfter.status()).isEqualTo(400);
        assertThat(badAfter.error().get("field").asText()).isEqualTo("after");
    }

    @Test
    void answersUnknownThingsWithJsonErrors() {
        Reply unknownWorkflow = fixture.get("/api/v1/workflows/wf-nope/status");
        assertThat(unknownWorkflow.status()).isEqualTo(404);
        assertThat(unknownWorkflow.error().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknownWorkflow.error().has("field")).isTrue();

        Reply badId = fixture.get("/api/v1/workflows/bad%20id/status");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.error().get("field").asText()).isEqualTo("id");
        assertThat(fixture.get("/api/v1/nothing").status()).isEqualTo(404);
        assertThat(fixture.post("/api/v1/workflows/wf-nope/start", "").status()).isEqualTo(404);

        Reply wrongMethod =
                fixture.call(fixture.request("/api/v1/analytics").delete().build());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.error().get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
        assertThat(fixture.call(fixture.request("/api/v1/workflows")
                                .put(okhttp3.RequestBody.create("{}", ServerFixture.JSON))
                                .build())
                        .header("Allow"))
                .isEqualTo("GET, POST");

        Reply misspeltFilter = fixture.get("/api/v1/workflows?stat=running");
        assertThat(misspeltFilter.status()).isEqualTo(400);
        assertThat(misspeltFilter.error().get("field").asText()).isEqualTo("stat");

        Reply plainStream = fixture.get("/api/v1/workflows/wf-nope/stream");
        assertThat(plainStream.status()).isIn(400, 404);
    }

    @Test
    void refusesBodiesThatAreNotJson() {
        Reply reply = fixture.call(fixture.request("/api/v1/workflows")
                .post(RequestBody.create("requirement=x", okhttp3.MediaType.get("text/plain")))
                .build());
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.error().get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void refusesBodiesOverTheLimitWithoutReadingThem() {
        String huge = "{\"requirement\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        Reply reply = fixture.post("/api/v1/workflows", huge);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.error().get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(fixture.get("/api/v1/workflows").json().get("workflows")).isEmpty();
    }

    private void assertInvalid(String body, String field) {
        Reply reply = fixture.post("/api/v1/workflows", body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.error().get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(reply.error().get("field").asText()).as(body).isEqualTo(field);
        assertThat(reply.error().get("message").asText()).as(body).contains(field);
    }
}
