package io.voltworkflow.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to the test PostgreSQL that can go down and come back on the same port: what clients see
 * when the database server stops and restarts, without disturbing the shared server other tests use.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private int port;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens (on the port it had before, once restarted) and relays every connection to the target. */
    public synchronized TcpProxy start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        listener = socket;
        Thread accept = new Thread(() -> acceptAll(socket), "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
        return this;
    }

    public int port() {
        return port;
    }

    /** Refuses new connections and cuts the open ones, as a stopped server does. */
    public synchronized void stop() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void acceptAll(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                relay(client.getInputStream(), server.getOutputStream(), client, server);
                relay(server.getInputStream(), client.getOutputStream(), server, client);
            } catch (IOException e) {
                // The listener closed: stopped.
            }
        }
    }

    private static void relay(InputStream from, OutputStream to, Socket a, Socket b) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (a;
                            b) {
                        for (int n; (n = from.read(buffer)) >= 0; ) {
                            to.write(buffer, 0, n);
                            to.flush();
                        }
                    } catch (IOException e) {
                        // Either side closed: the relay ends with it.
                    }
                },
                "tcp-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }
}
