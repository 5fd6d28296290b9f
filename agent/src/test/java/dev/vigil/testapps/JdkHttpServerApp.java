package dev.vigil.testapps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Test application on {@code com.sun.net.httpserver}, with no tracing code. Endpoints:
 * {@code /front?client=…&target=…} calls {@code target} with the named client; {@code /echo[?status=…]} returns the W3C
 * headers it received (with that status); {@code /api/items} answers 200; {@code /fail} throws.
 * Prints {@code READY <port>} once listening.
 */
public final class JdkHttpServerApp {
    private JdkHttpServerApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/front", exchange -> {
            Map<String, String> q = query(exchange);
            try {
                String result = Clients.call(q.getOrDefault("client", "jdk"), q.get("target"));
                respond(exchange, 200, result);
            } catch (Exception e) {
                respond(exchange, 502, e.toString());
            }
        });
        server.createContext("/echo", exchange -> respond(exchange,
                Integer.parseInt(query(exchange).getOrDefault("status", "200")), Clients.echo(
                values(exchange, "traceparent"), values(exchange, "tracestate"), values(exchange, "baggage"))));
        server.createContext("/api/items", exchange -> respond(exchange, 200, "items"));
        server.createContext("/fail", exchange -> {
            throw new IllegalStateException("boom");
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    private static List<String> values(HttpExchange exchange, String name) {
        List<String> v = exchange.getRequestHeaders().get(name);
        return v == null ? List.of() : v;
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

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
