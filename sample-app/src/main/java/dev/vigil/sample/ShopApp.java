package dev.vigil.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo shop. No tracing code: everything Vigil shows comes from the agent.
 *
 * <pre>
 * java -jar vigil-sample-app.jar gateway  [port] [ordersUrl]   HTTP front: /checkout calls orders
 * java -jar vigil-sample-app.jar orders   [port]               HTTP: /orders places an order (H2 + HikariCP;
 *                                                              -DslowSql=true or SLOW_SQL=true: a slow query every 10th)
 * java -jar vigil-sample-app.jar collector [port]              prints the spans it receives over OTLP/HTTP
 * java -jar vigil-sample-app.jar load rps=5,duration=60,url=http://localhost:8080/checkout
 * </pre>
 */
public final class ShopApp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicLong ORDER_IDS = new AtomicLong(1000);

    private ShopApp() {
    }

    public static void main(String[] args) throws Exception {
        String role = args.length > 0 ? args[0] : "help";
        switch (role) {
            case "gateway":
                gateway(intArg(args, 1, 8080), args.length > 2 ? args[2] : "http://localhost:8081");
                break;
            case "orders":
                orders(intArg(args, 1, 8081));
                break;
            case "collector":
                DemoCollector.start(intArg(args, 1, 4318));
                break;
            case "load":
                LoadGenerator.run(LoadGenerator.parse(args.length > 1 ? args[1] : ""));
                return;
            default:
                System.out.println("usage: java -jar vigil-sample-app.jar gateway|orders|collector|load …");
                return;
        }
        new CountDownLatch(1).await();
    }

    static void gateway(int port, String ordersUrl) throws IOException {
        HttpServer server = server(port);
        server.createContext("/checkout", exchange -> {
            try {
                HttpResponse<String> order = CLIENT.send(HttpRequest.newBuilder(URI.create(ordersUrl + "/orders"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"book\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                respond(exchange, order.statusCode() == 201 ? 200 : 502, order.body());
            } catch (Exception e) {
                respond(exchange, 502, "orders unavailable: " + e.getMessage());
            }
        });
        server.createContext("/health", exchange -> respond(exchange, 200, "ok"));
        server.start();
        System.out.println("gateway listening on http://localhost:" + port + "/checkout, orders at " + ordersUrl);
    }

    static void orders(int port) throws IOException, java.sql.SQLException {
        OrderStore store = new OrderStore(Boolean.parseBoolean(System.getProperty("slowSql",
                System.getenv().getOrDefault("SLOW_SQL", "false"))));
        HttpServer server = server(port);
        server.createContext("/orders", exchange -> {
            exchange.getRequestBody().readAllBytes();
            simulateWork(2, 15);
            try {
                long id = store.place(ORDER_IDS.incrementAndGet(), "book");
                respond(exchange, id > 0 ? 201 : 409, "{\"order\":" + id + "}");
            } catch (java.sql.SQLException e) {
                respond(exchange, 500, "{\"error\":\"" + e.getSQLState() + "\"}");
            }
        });
        server.start();
        System.out.println("orders listening on http://localhost:" + port + "/orders");
    }

    private static HttpServer server(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 100);
        server.setExecutor(Executors.newFixedThreadPool(8));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
        return server;
    }

    /** Stands for the database and business logic of a real service. */
    private static void simulateWork(int minMillis, int maxMillis) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(minMillis, maxMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    static Map<String, String> options(String spec) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return out;
    }
}
