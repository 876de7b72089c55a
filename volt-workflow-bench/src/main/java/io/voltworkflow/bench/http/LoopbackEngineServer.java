package io.voltworkflow.bench.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A loopback engine that answers every validation with the same small passing result. */
final class LoopbackEngineServer implements AutoCloseable {
    static final String PATH = "/v1/validate";
    private static final byte[] PASSED = ("{\"passed\":true,\"tests\":3,\"failures\":0,\"errors\":0,\"skipped\":0,"
                    + "\"summary\":\"3 tests passed\",\"findings\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4);

    static {
        // Without it the JDK server writes headers and body in two segments and Nagle's algorithm meets the client's
        // delayed ACK: every call would take 40 ms. Read once, when the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    LoopbackEngineServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext(PATH, exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, PASSED.length);
            exchange.getResponseBody().write(PASSED);
            exchange.close();
        });
        server.setExecutor(workers);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
