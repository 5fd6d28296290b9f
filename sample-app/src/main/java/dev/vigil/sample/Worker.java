package dev.vigil.sample;

import com.sun.net.httpserver.HttpServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * Processes order events from the {@code orders} queue: marks the order processed in the database and notifies the
 * gateway over HTTP (the shop's "external" call).
 */
final class Worker {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Worker() {
    }

    static void start(Options options, Lifecycle lifecycle) throws Exception {
        int port = options.getInt("port", 8082);
        Database db = new Database(options);
        db.open("worker-db", lifecycle);
        String gateway = options.get("gateway", "http://localhost:8080");
        OrderQueue queue = OrderQueue.connect(options);
        lifecycle.onStop("queue", queue::close);
        queue.consume(event -> process(db, gateway, event));

        HttpServer server = Http.server(port, lifecycle);
        server.createContext("/health", exchange -> Http.respond(exchange, 200, "ok\n"));
        Misbehaviour.mount(server);
        server.start();
        System.out.println("worker consuming queue '" + OrderQueue.NAME + "' on "
                + OrderQueue.printable(OrderQueue.url(options)) + ", notifying " + gateway
                + ", switches on http://localhost:" + port + "/misbehave/…");
    }

    private static void process(Database db, String gateway, String event) {
        try {
            long id = Long.parseLong(event.replaceAll("\\D", ""));
            if (Misbehaviour.shouldFail()) {
                throw new IllegalStateException("processing failed (fail switch) for order " + id);
            }
            try (Connection c = db.connect();
                 PreparedStatement update = c.prepareStatement("UPDATE orders SET status = 'PROCESSED' WHERE id = ?")) {
                update.setLong(1, id);
                update.executeUpdate();
            }
            CLIENT.send(HttpRequest.newBuilder(URI.create(gateway + "/notify?order=" + id))
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            System.err.println("worker: " + e);
        }
    }
}
