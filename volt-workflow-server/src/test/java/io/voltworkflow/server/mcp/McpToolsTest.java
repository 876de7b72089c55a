package io.voltworkflow.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSON-RPC over HTTP to /mcp, as an MCP client sends it, with the API's tokens. */
class McpToolsTest {
    private ServerFixture fixture;
    private int nextId;

    @BeforeEach
    void start() {
        fixture = new ServerFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void initializesAndListsTheWorkflowTools() {
        JsonNode init = rpc(
                        ServerFixture.FULL_TOKEN,
                        "initialize",
                        "{\"protocolVersion\":\"2025-06-18\","
                                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}")
                .json();
        assertThat(init.at("/result/serverInfo/name").asText()).isEqualTo("volt-workflow");

        JsonNode tools =
                rpc(ServerFixture.FULL_TOKEN, "tools/list", "{}").json().at("/result/tools");
        assertThat(tools)
                .extracting(t -> t.get("name").asText())
                .containsExactlyInAnyOrder(
                        "create_workflow",
                        "start_workflow",
                        "get_workflow_status",
                        "list_workflows",
                        "get_workflow_analytics",
                        "pause_workflow",
                        "resume_workflow",
                        "cancel_workflow");
    }

    @Test
    void createsAWorkflowAndReadsItsStatus() {
        JsonNode created = call(
                ServerFixture.FULL_TOKEN,
                "create_workflow",
                "{\"requirement\":\"Build a REST API\",\"projectContext\":{\"language\":\"Java\"}}");
        assertThat(created.get("isError").asBoolean()).isFalse();
        String id = created.at("/structuredContent/workflowId").asText();
        assertThat(fixture.awaitTermination(WorkflowId.of(id)).state()).isEqualTo(WorkflowState.COMPLETED);

        JsonNode status = call(ServerFixture.READ_TOKEN, "get_workflow_status", "{\"workflowId\":\"" + id + "\"}");
        assertThat(status.at("/structuredContent/state").asText()).isEqualTo("completed");
        assertThat(status.at("/content/0/text").asText()).contains("\"state\":\"completed\"");
    }

    @Test
    void reportsRefusalsAsToolErrors() {
        JsonNode unknown = call(ServerFixture.FULL_TOKEN, "get_workflow_status", "{\"workflowId\":\"wf-none\"}");
        assertThat(unknown.get("isError").asBoolean()).isTrue();
        assertThat(unknown.at("/structuredContent/error/code").asText()).isEqualTo("NOT_FOUND");

        JsonNode readOnly = call(ServerFixture.READ_TOKEN, "create_workflow", "{\"requirement\":\"x\"}");
        assertThat(readOnly.get("isError").asBoolean()).isTrue();
        assertThat(readOnly.at("/structuredContent/error/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(fixture.orchestrator.listWorkflows(io.voltworkflow.core.status.WorkflowQuery.ALL))
                .isEmpty();

        WorkflowId done = fixture.createStarted("finished");
        fixture.awaitTermination(done);
        JsonNode illegal = call(ServerFixture.FULL_TOKEN, "pause_workflow", "{\"workflowId\":\"" + done + "\"}");
        assertThat(illegal.at("/structuredContent/error/code").asText()).isEqualTo("ILLEGAL_TRANSITION");
    }

    @Test
    void refusesCallersWithoutAToken() {
        assertThat(rpc(null, "tools/list", "{}").status()).isEqualTo(401);
        assertThat(rpc("not-a-valid-token-at-all", "tools/list", "{}").status()).isEqualTo(401);
    }

    private JsonNode call(String token, String tool, String arguments) {
        Reply reply = rpc(token, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("result");
    }

    private Reply rpc(String token, String method, String params) {
        Request.Builder request = new Request.Builder()
                .url(fixture.url("/mcp"))
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(
                        "{\"jsonrpc\":\"2.0\",\"id\":" + ++nextId + ",\"method\":\"" + method + "\",\"params\":"
                                + params + "}",
                        ServerFixture.JSON));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return fixture.call(request.build());
    }
}
