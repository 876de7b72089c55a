package io.voltworkflow.ui.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server side of RFC 6455 on loopback, just enough to push text frames to the page and drop the connection:
 * the JDK's HttpServer cannot upgrade, and the test wants to control exactly what the stream sends and when it
 * breaks. Client frames are never read (the page sends none).
 */
final class LoopbackWebSocketServer implements AutoCloseable {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket serverSocket;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    LoopbackWebSocketServer() throws IOException {
        serverSocket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "loopback-websocket");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Waits for the page's next connection to the stream of one workflow; connections of pages left behind by
     * earlier tests (other workflows) are closed and skipped.
     */
    Connection awaitConnection(String workflowId, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Connection connection = connections.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (connection == null) {
                throw new AssertionError(
                        "the page opened no WebSocket connection for " + workflowId + " within " + timeout);
            }
            if (connection.path().contains("/" + workflowId + "/")) {
                return connection;
            }
            connection.close();
        }
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.add(handshake(socket));
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    throw new IllegalStateException("WebSocket accept failed", e);
                }
            }
        }
    }

    private static Connection handshake(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the WebSocket handshake");
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n", -1);
        String target = lines[0].split(" ", -1)[1];
        String key = null;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        if (key == null) {
            throw new IOException("not a WebSocket handshake: " + lines[0]);
        }
        String accept;
        try {
            accept = Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new Connection(socket, URI.create(target));
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        Connection connection;
        while ((connection = connections.poll()) != null) {
            connection.close();
        }
    }

    /** One page connection. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final URI target;

        private Connection(Socket socket, URI target) {
            this.socket = socket;
            this.target = target;
        }

        /** The query parameters the page connected with (after, access_token). */
        Map<String, String> query() {
            return QueryString.parse(target.getRawQuery());
        }

        String path() {
            return target.getRawPath();
        }

        synchronized void sendText(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81); // FIN + text
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >>> shift) & 0xff);
                }
            }
            frame.write(payload);
            OutputStream out = socket.getOutputStream();
            out.write(frame.toByteArray());
            out.flush();
        }

        /** Sends a normal close frame and drops the TCP connection, as a restarting server would. */
        @Override
        public synchronized void close() throws IOException {
            if (socket.isClosed()) {
                return;
            }
            try {
                socket.getOutputStream().write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe8});
                socket.getOutputStream().flush();
            } finally {
                socket.close();
            }
        }
    }
}
