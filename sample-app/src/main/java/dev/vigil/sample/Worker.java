package dev.vigil.sample;

import com.sun.net.httpserver.HttpServer;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

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
        String gateway = options.get("gateway", "http://localhost:8080");
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(Orders.brokerUrl(options));
        factory.setReconnectAttempts(10); // survives a broker restart, yet lets shutdown finish when it is gone
        JMSContext jms = connect(factory);
        lifecycle.onStop("jms", () -> {
            jms.close();
            factory.close();
        });
        JMSConsumer consumer = jms.createConsumer(jms.createQueue(Orders.QUEUE));
        consumer.setMessageListener(message -> process(db, gateway, message));

        HttpServer server = Http.server(port, lifecycle);
        server.createContext("/health", exchange -> Http.respond(exchange, 200, "ok\n"));
        Misbehaviour.mount(server);
        server.start();
        System.out.println("worker consuming queue '" + Orders.QUEUE + "', notifying " + gateway
                + ", switches on http://localhost:" + port + "/misbehave/…");
    }

    private static JMSContext connect(ActiveMQConnectionFactory factory) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return factory.createContext();
            } catch (JMSRuntimeException e) {
                if (attempt >= 60) {
                    throw e;
                }
                Thread.sleep(500); // the broker (in the orders service) is still starting
            }
        }
    }

    private static void process(Database db, String gateway, Message message) {
        try {
            String body = message.getBody(String.class);
            long id = Long.parseLong(body.replaceAll("\\D", ""));
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
