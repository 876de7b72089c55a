package io.voltworkflow.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.server.testing.ServerFixture;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MCP Java SDK's own client drives every tool over Streamable HTTP, as an agent would. */
class McpSdkClientTest {
    private ServerFixture fixture;
    private McpSyncClient client;

    @BeforeEach
    void start() {
        fixture = new ServerFixture();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        fixture.server.url().toString())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + ServerFixture.FULL_TOKEN))
                .build();
        client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
    }

    @AfterEach
    void stop() {
        client.closeGracefully();
        fixture.close();
    }

    @Test
    void everyToolIsListedWithHonestHints() {
        List<Tool> tools = client.listTools().tools();
        assertThat(tools)
                .extracting(Tool::name)
                .containsExactlyInAnyOrder(
                        "create_workflow",
                        "start_workflow",
                        "get_workflow_status",
                        "list_workflows",
                        "get_workflow_analytics",
                        "pause_workflow",
                        "resume_workflow",
                        "cancel_workflow");
        Tool create = tools.stream()
                .filter(t -> t.name().equals("create_workflow"))
                .findFirst()
                .orElseThrow();
        assertThat(create.annotations().idempotentHint()).isFalse();
        assertThat(tools.stream()
                        .filter(t -> t.name().equals("list_workflows"))
                        .findFirst()
                        .orElseThrow()
                        .annotations()
                        .readOnlyHint())
                .isTrue();
    }

    @Test
    void aWorkflowCreatedWithoutStartIsStartedListedAndCounted() {
        Map<String, Object> created = call(
                "create_workflow", Map.of("requirement", "Build a REST API", "start", false, "workflowId", "mcp-wf-1"));
        assertThat(created).containsEntry("workflowId", "mcp-wf-1").containsEntry("state", "initialized");

        Map<String, Object> again = call(
                "create_workflow", Map.of("requirement", "Build a REST API", "start", false, "workflowId", "mcp-wf-1"));
        assertThat(again).containsEntry("workflowId", "mcp-wf-1");
        assertThat(fixture.orchestrator.listWorkflows(io.voltworkflow.core.status.WorkflowQuery.ALL))
                .hasSize(1);

        assertThat(call("start_workflow", Map.of("workflowId", "mcp-wf-1")).get("state"))
                .isIn("running", "completed");
        assertThat(fixture.awaitTermination(WorkflowId.of("mcp-wf-1")).state()).isEqualTo(WorkflowState.COMPLETED);

        Map<String, Object> page = call("list_workflows", Map.of("state", List.of("completed"), "limit", 10));
        assertThat((List<?>) page.get("workflows")).hasSize(1);
        assertThat(page).containsEntry("limit", 10).containsEntry("nextOffset", null);

        assertThat(call("get_workflow_analytics", Map.of())).containsEntry("completedWorkflows", 1);
    }

    @Test
    void badArgumentsAreToolErrorsNamingTheField() {
        CallToolResult schema = client.callTool(CallToolRequest.builder("list_workflows")
                .arguments(Map.of("state", List.of("done")))
                .build());
        assertThat(schema.isError()).isTrue();
        assertThat(text(schema)).contains("/state/0");

        CallToolResult label = client.callTool(CallToolRequest.builder("list_workflows")
                .arguments(Map.of("label", "team"))
                .build());
        assertThat(label.isError()).isTrue();
        assertThat(text(label)).isEqualTo("INVALID_REQUEST: 'label' must look like name=value");
    }

    private static String text(CallToolResult result) {
        return ((io.modelcontextprotocol.spec.McpSchema.TextContent)
                        result.content().get(0))
                .text();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String tool, Map<String, Object> arguments) {
        CallToolResult result = client.callTool(
                CallToolRequest.builder(tool).arguments(arguments).build());
        assertThat(result.isError()).as(String.valueOf(result.content())).isFalse();
        return (Map<String, Object>) result.structuredContent();
    }
}
