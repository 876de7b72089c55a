package io.voltworkflow.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds {@code /mcp} to the MCP Streamable HTTP specification before the MCP Java SDK sees a request, so every
 * refusal is a JSON-RPC error (the SDK would answer some with a serialized Java exception): POST only (405 with
 * {@code Allow}), an {@code Origin} of another site 403 (DNS rebinding), an unsupported {@code MCP-Protocol-Version}
 * 400, a body that is not JSON 415, an {@code Accept} without JSON 406, malformed JSON -32700, a batch, a missing
 * {@code jsonrpc} or a malformed id or method -32600, {@code tools/call} without a known tool name or with arguments
 * that are not an object -32602. What the SDK still refuses with an HTTP error is rewritten the same way.
 */
final class McpRequestGuard implements Filter {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    private static final Logger LOG = LoggerFactory.getLogger(McpRequestGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The SDK's stateless transport insists on both; it answers JSON, which is all a client needs to accept. */
    private static final String SDK_ACCEPT = "application/json, text/event-stream";

    private final Set<String> protocolVersions;
    private final Set<String> allowedOrigins;
    private final Set<String> toolNames;
    private final int maxRequestBytes;

    McpRequestGuard(
            List<String> protocolVersions, Set<String> allowedOrigins, Set<String> toolNames, int maxRequestBytes) {
        this.protocolVersions = Set.copyOf(protocolVersions);
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.toolNames = Set.copyOf(toolNames);
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Refusal refusal = checkHeaders(request);
        if (refusal != null) {
            if (refusal.status() == 405) {
                response.setHeader("Allow", "POST");
            }
            write(response, refusal, NullNode.getInstance());
            return;
        }
        if (request.getContentLengthLong() > maxRequestBytes) {
            write(
                    response,
                    new Refusal(413, INVALID_REQUEST, "request body exceeds " + maxRequestBytes + " bytes"),
                    NullNode.getInstance());
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxRequestBytes + 1);
        if (body.length > maxRequestBytes) {
            write(
                    response,
                    new Refusal(413, INVALID_REQUEST, "request body exceeds " + maxRequestBytes + " bytes"),
                    NullNode.getInstance());
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            write(
                    response,
                    new Refusal(400, PARSE_ERROR, "parse error: the body is not valid JSON"),
                    NullNode.getInstance());
            return;
        }
        JsonNode id =
                message != null && message.isObject() && message.has("id") ? message.get("id") : NullNode.getInstance();
        refusal = checkMessage(message);
        if (refusal != null) {
            write(response, refusal, id.isTextual() || id.isIntegralNumber() ? id : NullNode.getInstance());
            return;
        }
        BufferedResponse buffered = new BufferedResponse(response);
        chain.doFilter(new ReplayedRequest(request, body), buffered);
        if (buffered.getStatus() >= 400) {
            // The SDK refused after all: its body would be a serialized exception. Keep the status, replace the body.
            String incident =
                    HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            LOG.warn("incident {}: the MCP SDK answered {}: {}", incident, buffered.getStatus(), buffered.text());
            write(
                    response,
                    buffered.getStatus() >= 500
                            ? new Refusal(
                                    buffered.getStatus(),
                                    INTERNAL_ERROR,
                                    "internal error; the server log has incident " + incident)
                            : new Refusal(
                                    buffered.getStatus(),
                                    INVALID_REQUEST,
                                    "invalid request; the server log has incident " + incident),
                    id);
            return;
        }
        buffered.commit();
    }

    private @Nullable Refusal checkHeaders(HttpServletRequest request) {
        if (!request.getMethod().equals("POST")) {
            return new Refusal(
                    405, INVALID_REQUEST, "MCP is served by POST only (stateless Streamable HTTP, no event stream)");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !allowedOrigins.contains(origin) && !sameOrigin(origin, request)) {
            return new Refusal(403, INVALID_REQUEST, "origin " + origin + " is not allowed");
        }
        String version = request.getHeader("MCP-Protocol-Version");
        if (version != null && !protocolVersions.contains(version)) {
            return new Refusal(
                    400,
                    INVALID_REQUEST,
                    "unsupported MCP-Protocol-Version '" + version + "' (supported: "
                            + String.join(
                                    ", ", protocolVersions.stream().sorted().toList()) + ")");
        }
        String contentType = request.getContentType();
        if (contentType == null || !mediaType(contentType).equals("application/json")) {
            return new Refusal(415, INVALID_REQUEST, "send JSON-RPC messages as Content-Type: application/json");
        }
        String accept = request.getHeader("Accept");
        if (accept != null && !acceptsJson(accept)) {
            return new Refusal(406, INVALID_REQUEST, "answers are application/json; the Accept header excludes it");
        }
        return null;
    }

    private @Nullable Refusal checkMessage(JsonNode message) {
        if (message == null || message.isMissingNode()) {
            return new Refusal(400, INVALID_REQUEST, "the body is empty; send one JSON-RPC request");
        }
        if (message.isArray()) {
            return new Refusal(
                    400, INVALID_REQUEST, "JSON-RPC batches are not supported (MCP 2025-06-18); send one message");
        }
        if (!message.isObject()) {
            return new Refusal(400, INVALID_REQUEST, "a JSON-RPC message is a JSON object");
        }
        if (!"2.0".equals(message.path("jsonrpc").textValue())) {
            return new Refusal(400, INVALID_REQUEST, "'jsonrpc' must be \"2.0\"");
        }
        JsonNode id = message.get("id");
        if (id != null && !id.isTextual() && !id.isIntegralNumber()) {
            return new Refusal(400, INVALID_REQUEST, "'id' must be a string or an integer");
        }
        JsonNode method = message.get("method");
        if (method == null || !method.isTextual()) {
            return new Refusal(
                    400, INVALID_REQUEST, "'method' must be a string; the server takes requests and notifications");
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject()) {
            return new Refusal(400, INVALID_PARAMS, "'params' must be an object");
        }
        if (method.textValue().equals("tools/call")) {
            if (params == null || !params.path("name").isTextual()) {
                return new Refusal(200, INVALID_PARAMS, "tools/call needs params with the tool's 'name'");
            }
            if (!toolNames.contains(params.get("name").textValue())) {
                return new Refusal(
                        200,
                        INVALID_PARAMS,
                        "unknown tool '" + params.get("name").textValue() + "'");
            }
            if (params.has("arguments") && !params.get("arguments").isObject()) {
                return new Refusal(200, INVALID_PARAMS, "'arguments' must be an object");
            }
        }
        if (method.textValue().equals("initialize")
                && (params == null || !params.path("protocolVersion").isTextual())) {
            return new Refusal(200, INVALID_PARAMS, "initialize needs params with 'protocolVersion'");
        }
        return null;
    }

    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin);
            String host = request.getHeader("Host");
            return host != null
                    && uri.getScheme() != null
                    && uri.getScheme().equalsIgnoreCase(request.getScheme())
                    && uri.getRawAuthority() != null
                    && uri.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean acceptsJson(String accept) {
        for (String range : accept.split(",", -1)) {
            String type = mediaType(range);
            if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
                return true;
            }
        }
        return false;
    }

    private static String mediaType(String header) {
        return header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** A JSON-RPC error as the whole answer; request-level errors of a well-formed request are HTTP 200. */
    private static void write(HttpServletResponse response, Refusal refusal, JsonNode id) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.set("id", id);
        ObjectNode error = body.putObject("error");
        error.put("code", refusal.code());
        error.put("message", refusal.message());
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.resetBuffer();
        response.setStatus(refusal.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private record Refusal(int status, int code, String message) {}

    /** The request as read, replayed to the SDK, which is shown an {@code Accept} it takes. */
    private static final class ReplayedRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public String getHeader(String name) {
            return name.equalsIgnoreCase("Accept") ? SDK_ACCEPT : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return name.equalsIgnoreCase("Accept")
                    ? Collections.enumeration(List.of(SDK_ACCEPT))
                    : super.getHeaders(name);
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }

    /** Holds the SDK's answer so that a refusal can be rewritten before anything reaches the client. */
    private static final class BufferedResponse extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintWriter writer = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
        private int status = 200;

        BufferedResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void sendError(int sc, String msg) {
            status = sc;
        }

        @Override
        public void sendError(int sc) {
            status = sc;
        }

        @Override
        public PrintWriter getWriter() {
            return writer;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("buffered");
                }
            };
        }

        String text() {
            writer.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void commit() throws IOException {
            writer.flush();
            HttpServletResponse response = (HttpServletResponse) getResponse();
            response.setStatus(status);
            response.setContentLength(bytes.size());
            response.getOutputStream().write(bytes.toByteArray());
        }
    }
}
