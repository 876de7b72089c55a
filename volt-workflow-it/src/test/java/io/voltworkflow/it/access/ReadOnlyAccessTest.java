package io.voltworkflow.it.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.it.support.EventStream;
import io.voltworkflow.it.support.ServerUnderTest;
import io.voltworkflow.it.support.ServerUnderTest.Reply;
import io.voltworkflow.server.AccessToken;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Access checks that cut across the server's channels (the server module tests each endpoint's authentication;
 * the UI and server browser tests render a script-injection payload, see docs/reliability.md). A read-only token
 * tries every way to change state — each REST method on each route, the MCP tools, frames sent on the event
 * stream — and nothing changes; the same calls with the full token do change it.
 */
class ReadOnlyAccessTest {
    private static final String FULL_TOKEN = "access-full-Kx7Lp1Hd5Gs9Fb3Jc6Wv";
    private static final String READ_TOKEN = "access-read-Pz4Rt8Kd1Hs6Jf3Nb5Vc0";
    private static final StepType GATED = StepType.of("gated");

    /**
     * Timing cannot tell a caller how close a guess was: the server keeps only each token's SHA-256 digest (32 bytes
     * whatever the secret's length), hashes what is presented, and compares digests with
     * {@link java.security.MessageDigest#isEqual}, whose time depends only on the (fixed) length. Checked here by
     * construction rather than by a stopwatch.
     */
    @Test
    void tokensAreKeptAndComparedAsFixedLengthDigestsOnly() throws Exception {
        List<Field> state = Arrays.stream(AccessToken.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .toList();
        assertThat(state).extracting(Field::getType).containsExactlyInAnyOrder(byte[].class, AccessToken.Access.class);
        Field digest = state.stream()
                .filter(f -> f.getType() == byte[].class)
                .findFirst()
                .orElseThrow();
        digest.setAccessible(true);
        for (String secret : List.of("a".repeat(16), "b".repeat(17), "c".repeat(4096), FULL_TOKEN)) {
            AccessToken token = AccessToken.of(secret, AccessToken.Access.FULL);
            assertThat((byte[]) digest.get(token)).hasSize(32).isEqualTo(AccessToken.sha256(secret));
            assertThat(token.toString()).doesNotContain(secret);
            assertThat(token.matches(AccessToken.sha256(secret))).isTrue();
            assertThat(token.matches(AccessToken.sha256(secret.substring(1)))).isFalse();
            assertThat(token.matches(AccessToken.sha256(secret + "x"))).isFalse();
        }
    }

    @Test
    void aReadOnlyTokenCannotChangeAnythingThroughAnyChannel() throws Exception {
        GatedSteps gated = new GatedSteps();
        WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .engines(Engines.builder().customStep(GATED.id(), gated).build())
                .build());
        try (ServerUnderTest api = new ServerUnderTest(orchestrator, FULL_TOKEN, READ_TOKEN)) {
            WorkflowId running =
                    orchestrator.createWorkflow(definition("running")).workflowId();
            orchestrator.startWorkflow(running);
            WorkflowId idle = orchestrator.createWorkflow(definition("idle")).workflowId();
            await().until(() -> gated.isRunning("running-step"));
            Map<String, String> before = snapshot(orchestrator);

            List<Reply> refused = new ArrayList<>();
            refused.add(
                    api.call("POST", "/api/v1/workflows", READ_TOKEN, "{\"requirement\":\"sneaky\",\"start\":true}"));
            for (WorkflowId id : List.of(running, idle)) {
                for (String action : List.of("start", "pause", "resume", "cancel")) {
                    refused.add(api.call(
                            "POST", "/api/v1/workflows/" + id + "/" + action, READ_TOKEN, "{\"reason\":\"ro\"}"));
                    refused.add(api.call("GET", "/api/v1/workflows/" + id + "/" + action, READ_TOKEN, null));
                    refused.add(api.call(new Request.Builder()
                            .url(api.url("/api/v1/workflows/" + id + "/" + action))
                            .header("Authorization", "Bearer " + READ_TOKEN)
                            .header("X-HTTP-Method-Override", "POST")
                            .get()
                            .build()));
                }
                for (String method : List.of("PUT", "PATCH", "DELETE")) {
                    refused.add(api.call(method, "/api/v1/workflows/" + id, READ_TOKEN, "{\"state\":\"cancelled\"}"));
                }
            }
            List<JsonNode> toolResults = new ArrayList<>();
            toolResults.add(mcp(api, READ_TOKEN, "create_workflow", "{\"requirement\":\"sneaky\"}"));
            for (String tool : List.of("pause_workflow", "resume_workflow", "cancel_workflow")) {
                toolResults.add(mcp(api, READ_TOKEN, tool, "{\"workflowId\":\"" + running + "\"}"));
            }
            sendFramesOnTheStream(api, running);

            assertThat(refused)
                    .allSatisfy(
                            reply -> assertThat(reply.status()).as(reply.body()).isIn(403, 404, 405));
            assertThat(toolResults).allSatisfy(result -> {
                assertThat(result.get("isError").asBoolean()).isTrue();
                assertThat(result.at("/structuredContent/error/code").asText()).isEqualTo("FORBIDDEN");
            });
            assertThat(snapshot(orchestrator)).isEqualTo(before);
            assertThat(gated.invocations()).hasSize(1);

            // The refusals were about the token, not the route: the full token changes the same workflows.
            assertThat(api.call("POST", "/api/v1/workflows/" + idle + "/start", FULL_TOKEN, null)
                            .status())
                    .isEqualTo(200);
            assertThat(mcp(api, FULL_TOKEN, "cancel_workflow", "{\"workflowId\":\"" + running + "\"}")
                            .get("isError")
                            .asBoolean())
                    .isFalse();
            assertThat(orchestrator.getWorkflowStatus(running).state()).isEqualTo(WorkflowState.CANCELLED);
            assertThat(orchestrator.getWorkflowStatus(idle).state()).isEqualTo(WorkflowState.RUNNING);
            // Let the started step finish, so that the server's graceful shutdown has nothing to wait for.
            await().until(() -> gated.isRunning("idle-step"));
            gated.complete("idle-step");
            assertThat(orchestrator
                            .awaitTermination(idle)
                            .get(30, TimeUnit.SECONDS)
                            .state())
                    .isEqualTo(WorkflowState.COMPLETED);
            System.out.printf(
                    "access: %d state-changing requests and %d MCP tool calls with a read-only token refused, "
                            + "stream frames ignored, 0 changes; tokens compared as 32-byte digests%n",
                    refused.size(), toolResults.size());
        }
    }

    private static WorkflowDefinition definition(String name) {
        return new WorkflowDefinition(
                name, null, List.of(StepDefinition.of(name + "-step", GATED)), WorkflowOptions.DEFAULTS);
    }

    /** Each workflow's state and last event sequence: any change shows. */
    private static Map<String, String> snapshot(WorkflowOrchestrator orchestrator) {
        Map<String, String> snapshot = new TreeMap<>();
        orchestrator
                .listWorkflows(WorkflowQuery.ALL)
                .forEach(s -> snapshot.put(s.workflowId().value(), s.state() + "@" + s.lastSequence()));
        return snapshot;
    }

    private static JsonNode mcp(ServerUnderTest api, String token, String tool, String arguments) {
        Reply reply = api.call(new Request.Builder()
                .url(api.url("/mcp"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                                + "\",\"arguments\":" + arguments + "}}",
                        ServerUnderTest.JSON))
                .build());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("result");
    }

    /** A read-only client on the stream sends commands; the server has no commands on the stream and must ignore them. */
    private static void sendFramesOnTheStream(ServerUnderTest api, WorkflowId id) throws Exception {
        try (EventStream stream = EventStream.open(api, id, READ_TOKEN)) {
            stream.awaitFrameContaining("\"sequence\"");
            stream.send("cancel");
            stream.send("{\"action\":\"cancel\",\"workflowId\":\"" + id + "\"}");
            stream.send(ByteString.encodeUtf8("{\"action\":\"pause\"}"));
        }
    }
}
