package dev.vigil.testapps.jdbc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;

/**
 * Test application doing JDBC from HTTP request handlers, with no tracing code. Arguments: JDBC URL, user,
 * password, {@code plain} (one {@code DriverManager} connection) or {@code hikari} (a HikariCP pool, loaded
 * reflectively so the plain runs need no HikariCP jar). Endpoints, one JDBC call each: {@code /statement},
 * {@code /prepared}, {@code /batch} (prepared, 3 parameter sets), {@code /statement-batch} (2 SQL texts),
 * {@code /fail} (a missing table). Every literal and bind value holds the word {@code secret}.
 * Prints {@code READY <port>} once listening.
 */
public final class JdbcApp {
    private static ConnectionSource source;
    private static int nextId = 100;

    interface ConnectionSource {
        Connection get() throws SQLException;

        void release(Connection c) throws SQLException;
    }

    private JdbcApp() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args.length > 2 && !args[2].equals("-") ? args[2] : "";
        source = args.length > 3 && args[3].equals("hikari") ? hikari(url, user, password) : plain(url, user, password);
        Connection setup = source.get();
        try (Statement s = setup.createStatement()) {
            s.execute("DROP TABLE IF EXISTS vigil_order_items");
            s.execute("DROP TABLE IF EXISTS vigil_orders");
            s.execute("CREATE TABLE vigil_orders (id INT PRIMARY KEY, note VARCHAR(100))");
            s.execute("CREATE TABLE vigil_order_items (order_id INT, qty INT)");
            s.executeUpdate("INSERT INTO vigil_orders (id, note) VALUES (1, 'secret-setup')");
        }
        source.release(setup);

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/statement", exchange -> run(exchange, c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, note FROM vigil_orders WHERE note = 'secret-literal' OR id = 1")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                return "rows=" + rows;
            }
        }));
        server.createContext("/prepared", exchange -> run(exchange, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_orders (id, note) VALUES (?, ?)")) {
                ps.setInt(1, id());
                ps.setString(2, "secret-bind-value");
                return "updated=" + ps.executeUpdate();
            }
        }));
        server.createContext("/batch", exchange -> run(exchange, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_order_items (order_id, qty) VALUES (?, ?)")) {
                for (int i = 0; i < 3; i++) {
                    ps.setInt(1, 1);
                    ps.setInt(2, 900_000 + i);
                    ps.addBatch();
                }
                return "batch=" + ps.executeBatch().length;
            }
        }));
        server.createContext("/statement-batch", exchange -> run(exchange, c -> {
            try (Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO vigil_order_items (order_id, qty) VALUES (1, 777001)");
                s.addBatch("INSERT INTO vigil_order_items (order_id, qty) VALUES (1, 777002)");
                return "batch=" + s.executeBatch().length;
            }
        }));
        server.createContext("/fail", exchange -> run(exchange, c -> {
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT * FROM vigil_missing_table WHERE note = 'secret-in-failure'");
                return "unexpected";
            }
        }));
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    private static synchronized int id() {
        return nextId++;
    }

    interface Work {
        String run(Connection c) throws SQLException;
    }

    private static void run(HttpExchange exchange, Work work) throws IOException {
        int status = 200;
        String body;
        try {
            Connection c = source.get();
            try {
                body = work.run(c);
            } finally {
                source.release(c);
            }
        } catch (SQLException e) {
            status = 500;
            body = e.getClass().getName();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ConnectionSource plain(String url, String user, String password) throws SQLException {
        Connection shared = DriverManager.getConnection(url, user, password);
        return new ConnectionSource() {
            @Override
            public synchronized Connection get() {
                return shared;
            }

            @Override
            public void release(Connection c) {
            }
        };
    }

    private static ConnectionSource hikari(String url, String user, String password) throws Exception {
        Class<?> configClass = Class.forName("com.zaxxer.hikari.HikariConfig");
        Object config = configClass.getConstructor().newInstance();
        configClass.getMethod("setJdbcUrl", String.class).invoke(config, url);
        configClass.getMethod("setUsername", String.class).invoke(config, user);
        configClass.getMethod("setPassword", String.class).invoke(config, password);
        configClass.getMethod("setMaximumPoolSize", int.class).invoke(config, 2);
        configClass.getMethod("setPoolName", String.class).invoke(config, "vigil-test");
        Object pool = Class.forName("com.zaxxer.hikari.HikariDataSource").getConstructor(configClass).newInstance(config);
        Method getConnection = pool.getClass().getMethod("getConnection");
        return new ConnectionSource() {
            @Override
            public Connection get() throws SQLException {
                try {
                    return (Connection) getConnection.invoke(pool);
                } catch (ReflectiveOperationException e) {
                    throw new SQLException(e.getCause());
                }
            }

            @Override
            public void release(Connection c) throws SQLException {
                c.close();
            }
        };
    }
}
