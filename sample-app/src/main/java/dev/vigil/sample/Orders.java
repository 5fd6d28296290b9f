package dev.vigil.sample;

import com.sun.net.httpserver.HttpServer;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.h2.tools.Server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * Places orders: {@code POST /orders} inserts a row and publishes an event to the {@code orders} queue. By default it
 * also hosts the shop's infrastructure: the H2 database server and an ActiveMQ Artemis broker (a real broker over
 * a real TCP connection, inside this JVM).
 */
final class Orders {
    private Orders() {
    }

    static void start(Options options, Lifecycle lifecycle) throws Exception {
        int port = options.getInt("port", 8081);
        Database db = new Database(options);
        String brokerUrl = OrderQueue.url(options);
        if (db.isEmbedded()) {
            Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(db.h2Port()), "-ifNotExists").start();
            lifecycle.onStop("h2", h2::stop);
        }
        if (!options.values().containsKey("broker")) {
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                    .setPersistenceEnabled(false).setSecurityEnabled(false).setJournalDirectory("target/broker")
                    .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + options.getInt("broker.port", 61616)));
            broker.start();
            lifecycle.onStop("broker", broker::stop);
        }
        db.open("orders-db", lifecycle);
        db.createSchema();
        OrderQueue queue = OrderQueue.connect(options);
        lifecycle.onStop("queue", queue::close);

        HttpServer server = Http.server(port, lifecycle);
        server.createContext("/orders", exchange -> {
            String item = new String(exchange.getRequestBody().readAllBytes()).replace("item=", "");
            if (Misbehaviour.shouldFail()) {
                Http.respond(exchange, 500, "order failed (fail switch)\n");
                return;
            }
            try {
                long id = insert(db, item.isBlank() ? "book" : item);
                queue.publish("{\"order\":" + id + "}");
                Http.respond(exchange, 201, "{\"order\":" + id + "}\n");
            } catch (Exception e) {
                Http.respond(exchange, 500, "order failed: " + e + "\n");
            }
        });
        server.createContext("/misbehave/slow-sql", exchange -> {
            int ms = Integer.parseInt(Http.query(exchange).getOrDefault("ms", "500"));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute(db.slowQuery(ms));
                Http.respond(exchange, 200, "slow query took " + ms + " ms\n");
            } catch (Exception e) {
                Http.respond(exchange, 500, "slow query failed: " + e + "\n");
            }
        });
        server.createContext("/health", exchange -> Http.respond(exchange, 200, "ok\n"));
        Misbehaviour.mount(server);
        server.start();
        System.out.println("orders listening on http://localhost:" + port + "/orders, database " + db.url()
                + ", broker " + OrderQueue.printable(brokerUrl));
    }

    private static long insert(Database db, String item) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO orders (item, status, created) VALUES (?, 'NEW', ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, item);
            insert.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
