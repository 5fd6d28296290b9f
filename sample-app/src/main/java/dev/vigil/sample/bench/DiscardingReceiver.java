package dev.vigil.sample.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's OTLP/HTTP endpoint: accepts every export on any path, reads and discards the body and answers
 * 200 with an empty body (an empty protobuf message is a valid export response). Counts requests and bytes per path
 * so the report can show that each agent really exported, without spending CPU on decoding.
 */
final class DiscardingReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ConcurrentHashMap<String, LongAdder> bytes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();

    DiscardingReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                long n = 0;
                byte[] buf = new byte[16384];
                for (int r; (r = in.read(buf)) > 0; ) {
                    n += r;
                }
                String path = exchange.getRequestURI().getPath();
                bytes.computeIfAbsent(path, p -> new LongAdder()).add(n);
                requests.computeIfAbsent(path, p -> new LongAdder()).increment();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Bytes received on a path since the last {@link #reset()}. */
    long bytes(String path) {
        LongAdder a = bytes.get(path);
        return a == null ? 0 : a.sum();
    }

    long requests(String path) {
        LongAdder a = requests.get(path);
        return a == null ? 0 : a.sum();
    }

    void reset() {
        bytes.clear();
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
