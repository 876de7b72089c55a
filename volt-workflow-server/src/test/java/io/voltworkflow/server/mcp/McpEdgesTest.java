package io.voltworkflow.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw HTTP at the edges of the MCP Streamable HTTP specification: every refusal is a JSON-RPC error (never a
 * serialized exception), a foreign Origin is 403, an unsupported protocol version 400.
 */
class McpEdgesTest {
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}";
    private ServerFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ServerFixture(1, b -> b.corsAllowedOrigins(Set.of("https://ci.example.com")));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void malformedMessagesAreJsonRpcErrors() {
        assertRpcError(post("{\"jsonrpc\":\"2.0\",", "application/json"), 400, -32700, null);
        assertRpcError(post("[" + TOOLS_LIST + "]", "application/json"), 400, -32600, null);
        assertRpcError(post("{\"id\":3,\"method\":\"tools/list\"}", "application/json"), 400, -32600, 3);
        assertRpcError(
                post("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}", "application/json"),
                400,
                -32600,
                null);
        assertRpcError(post("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}", "application/json"), 400, -32600, 4);
        assertRpcError(post("", "application/json"), 400, -32600, null);
        assertRpcError(post(TOOLS_LIST, "text/plain"), 415, -32600, null);
    }

    @Test
    void toolCallsWithoutAToolAreInvalidParams() {
        assertRpcError(
                post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\"}", "application/json"), 200, -32602, 5);
        assertRpcError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}",
                        "application/json"),
                200,
                -32602,
                "a");
        assertRpcError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":"
                                + "\"get_workflow_status\",\"arguments\":[1]}}",
                        "application/json"),
                200,
                -32602,
                6);
        assertRpcError(
                post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"initialize\"}", "application/json"), 200, -32602, 8);
    }

    @Test
    void acceptNeedsToAllowJsonOnly() {
        assertThat(send(request(TOOLS_LIST).removeHeader("Accept")).status()).isEqualTo(200);
        assertThat(send(request(TOOLS_LIST).header("Accept", "application/json"))
                        .json()
                        .at("/result/tools")
                        .size())
                .isGreaterThan(0);
        assertRpcError(send(request(TOOLS_LIST).header("Accept", "text/html")), 406, -32600, null);
    }

    @Test
    void protocolVersionAndOriginAreChecked() {
        assertRpcError(send(request(TOOLS_LIST).header("MCP-Protocol-Version", "1999-01-01")), 400, -32600, null);
        assertThat(send(request(TOOLS_LIST).header("MCP-Protocol-Version", "2025-06-18"))
                        .status())
                .isEqualTo(200);

        assertRpcError(send(request(TOOLS_LIST).header("Origin", "https://evil.example")), 403, -32600, null);
        assertThat(send(request(TOOLS_LIST).header("Origin", "https://ci.example.com"))
                        .status())
                .isEqualTo(200);
        String self = fixture.server.url().toString().replaceAll("/$", "");
        assertThat(send(request(TOOLS_LIST).header("Origin", self)).status()).isEqualTo(200);
    }

    @Test
    void onlyPostIsServed() {
        Reply get = send(new Request.Builder()
                .url(fixture.url("/mcp"))
                .header("Authorization", "Bearer " + ServerFixture.FULL_TOKEN)
                .get());
        assertRpcError(get, 405, -32600, null);
        assertThat(get.header("Allow")).isEqualTo("POST");
    }

    private Reply post(String body, String contentType) {
        return send(new Request.Builder()
                .url(fixture.url("/mcp"))
                .header("Authorization", "Bearer " + ServerFixture.FULL_TOKEN)
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(body, MediaType.get(contentType))));
    }

    private Request.Builder request(String body) {
        return new Request.Builder()
                .url(fixture.url("/mcp"))
                .header("Authorization", "Bearer " + ServerFixture.FULL_TOKEN)
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(body, ServerFixture.JSON));
    }

    private Reply send(Request.Builder request) {
        return fixture.call(request.build());
    }

    private static void assertRpcError(Reply reply, int status, int code, Object id) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.body()).doesNotContain("stackTrace").doesNotContain("Exception");
        JsonNode json = reply.json();
        assertThat(json.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(json.at("/error/code").asInt()).as(reply.body()).isEqualTo(code);
        assertThat(json.at("/error/message").asText()).isNotBlank();
        if (id == null) {
            assertThat(json.get("id").isNull()).isTrue();
        } else if (id instanceof Integer number) {
            assertThat(json.get("id").asInt()).isEqualTo(number);
        } else {
            assertThat(json.get("id").asText()).isEqualTo(id);
        }
    }
}
