package dev.vigil.sample;

import com.sun.net.httpserver.HttpServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The front door: {@code /checkout} places an order with the orders service; {@code /notify} is what the worker calls back. */
final class Gateway {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Gateway() {
    }

    static void start(Options options, Lifecycle lifecycle) throws Exception {
        int port = options.getInt("port", 8080);
        String orders = options.get("orders", "http://localhost:8081");
        HttpServer server = Http.server(port, lifecycle);
        server.createContext("/checkout", exchange -> {
            if (Misbehaviour.shouldFail()) {
                Http.respond(exchange, 500, "checkout failed (fail switch)\n");
                return;
            }
            try {
                HttpResponse<String> order = CLIENT.send(HttpRequest.newBuilder(URI.create(orders + "/orders"))
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString("item=book")).build(),
                        HttpResponse.BodyHandlers.ofString());
                Http.respond(exchange, order.statusCode() == 201 ? 200 : 502, order.body());
            } catch (Exception e) {
                Http.respond(exchange, 502, "orders unavailable: " + e.getMessage() + "\n");
            }
        });
        server.createContext("/notify", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Http.respond(exchange, 204, "");
        });
        server.createContext("/health", exchange -> Http.respond(exchange, 200, "ok\n"));
        Misbehaviour.mount(server);
        server.start();
        System.out.println("gateway listening on http://localhost:" + port + "/checkout, orders at " + orders);
    }
}
