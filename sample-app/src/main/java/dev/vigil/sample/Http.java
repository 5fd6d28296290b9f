package dev.vigil.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Small HTTP helpers shared by the services: a server that shuts down gracefully, and response writing. */
final class Http {
    private Http() {
    }

    /** A server on {@code port} with a fixed pool; registered with {@link Lifecycle} to drain on shutdown. */
    static HttpServer server(int port, Lifecycle lifecycle) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 100);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        server.setExecutor(pool);
        lifecycle.onStop("http :" + port, () -> {
            server.stop(Lifecycle.GRACE_SECONDS); // stops accepting, waits for in-flight exchanges
            pool.shutdown();
            pool.awaitTermination(Lifecycle.GRACE_SECONDS, TimeUnit.SECONDS);
        });
        return server;
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
