package dev.vigil.exporters.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server that answers with whatever bytes a test writes, for the edge cases a real HTTP server never makes
 * (chunks, close-delimited bodies, closing a kept-alive connection, never answering). One thread per connection.
 */
final class RawServer implements AutoCloseable {
    /** What a test does with one connection; {@code index} counts connections from 0. */
    interface Handler {
        void handle(Connection connection, int index) throws Exception;
    }

    /** One accepted connection with helpers to read a request and write raw bytes. */
    static final class Connection {
        final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads one request (head and Content-Length body); null when the client closed the connection first. */
        String readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        void write(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    final Queue<String> requests = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    RawServer(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    int index = accepted.getAndIncrement();
                    Thread worker = new Thread(() -> {
                        try {
                            handler.handle(new Connection(socket), index);
                        } catch (Exception e) {
                            if (!socket.isClosed()) {
                                failures.add(e);
                            }
                        }
                    }, "raw-server-" + index);
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    // closed
                }
            }
        }, "raw-server-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
