package dev.vigil.testapps.jdbc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Test application that leaks a JDBC connection on demand and runs prepared statements with bind values, with no
 * agent code. Arguments: JDBC URL, user, password ({@code -} for none), {@code plain} (connections from
 * {@code DriverManager}) or {@code hikari} (borrowed from a HikariCP pool, through {@code javax.sql.DataSource}).
 * Every request takes its own connection and closes it, except:
 * <ul>
 *   <li>{@code /leak}: {@link #leakConnection} takes one and keeps it open;</li>
 *   <li>{@code /release}: closes the kept ones.</li>
 * </ul>
 * Statements: {@code /slow} (a prepared query that sleeps 0.4 s, binding an id, a JWT and the sleep),
 * {@code /fast} (a quick prepared insert), {@code /fail-bind} (an insert that breaks a primary key, binding a
 * login and a value for a {@code password} column). Prints {@code READY <port>}.
 */
public final class JdbcLeakApp {
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2aWdpbCJ9.bm90LWEtcmVhbC1zaWduYXR1cmU";
    private static final List<Connection> KEPT = new ArrayList<>();
    private static String url;
    private static String user;
    private static String password;
    private static DataSource pool;
    private static int nextId = 1000;

    private JdbcLeakApp() {
    }

    public static void main(String[] args) throws Exception {
        url = args[0];
        user = args[1];
        password = args[2].equals("-") ? "" : args[2];
        if (args[3].equals("hikari")) {
            pool = hikari();
        }
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS vigil_accounts");
            s.execute("DROP TABLE IF EXISTS vigil_leak_orders");
            s.execute("CREATE TABLE vigil_accounts (login VARCHAR(50) PRIMARY KEY, password VARCHAR(100))");
            s.execute("CREATE TABLE vigil_leak_orders (id INT PRIMARY KEY, note VARCHAR(200))");
            s.executeUpdate("INSERT INTO vigil_accounts (login, password) VALUES ('alice', 'x')");
            s.executeUpdate("INSERT INTO vigil_leak_orders (id, note) VALUES (1, 'first')");
            if (url.startsWith("jdbc:h2:")) {
                s.execute("CREATE ALIAS IF NOT EXISTS VIGIL_SLEEP FOR \"" + JdbcLeakApp.class.getName() + ".sleep\"");
            }
        }

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/leak", exchange -> respond(exchange, () -> {
            leakConnection();
            return "kept";
        }));
        server.createContext("/release", exchange -> respond(exchange, JdbcLeakApp::release));
        server.createContext("/slow", exchange -> respond(exchange, () -> {
            try (Connection c = open(); PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM vigil_leak_orders WHERE id = ? AND note <> ? AND " + sleepPredicate())) {
                ps.setInt(1, 1);
                ps.setString(2, JWT);
                ps.setDouble(3, 0.4);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return "count=" + rs.getInt(1);
                }
            }
        }));
        server.createContext("/fast", exchange -> respond(exchange, () -> {
            try (Connection c = open(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO vigil_leak_orders (id, note) VALUES (?, ?)")) {
                ps.setInt(1, id());
                ps.setString(2, "quick");
                return "updated=" + ps.executeUpdate();
            }
        }));
        server.createContext("/fail-bind", exchange -> respond(exchange, () -> {
            try (Connection c = open(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO vigil_accounts (login, password) VALUES (?, ?)")) {
                ps.setString(1, "alice");
                ps.setString(2, "hunter2");
                return "updated=" + ps.executeUpdate();
            }
        }));
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    /** The method a leak report must point at. */
    static void leakConnection() throws SQLException {
        Connection c = pool != null ? pool.getConnection() : DriverManager.getConnection(url, user, password);
        synchronized (KEPT) {
            KEPT.add(c);
        }
    }

    private static String release() throws SQLException {
        synchronized (KEPT) {
            for (Connection c : KEPT) {
                c.close();
            }
            int n = KEPT.size();
            KEPT.clear();
            return "released=" + n;
        }
    }

    private static Connection open() throws SQLException {
        return pool != null ? pool.getConnection() : DriverManager.getConnection(url, user, password);
    }

    private static String sleepPredicate() {
        if (url.startsWith("jdbc:postgresql:")) {
            return "(SELECT 0 FROM pg_sleep(?)) = 0";
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return "SLEEP(?) = 0";
        }
        return "VIGIL_SLEEP(?) = 0";
    }

    /** H2 function {@code VIGIL_SLEEP(seconds)}: sleeps, returns 0. */
    public static int sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
        return 0;
    }

    private static synchronized int id() {
        return nextId++;
    }

    interface Work {
        String run() throws SQLException;
    }

    private static void respond(HttpExchange exchange, Work work) throws IOException {
        int status = 200;
        String body;
        try {
            body = work.run();
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

    private static DataSource hikari() throws Exception {
        Class<?> configClass = Class.forName("com.zaxxer.hikari.HikariConfig");
        Object config = configClass.getConstructor().newInstance();
        configClass.getMethod("setJdbcUrl", String.class).invoke(config, url);
        configClass.getMethod("setUsername", String.class).invoke(config, user);
        configClass.getMethod("setPassword", String.class).invoke(config, password);
        configClass.getMethod("setMaximumPoolSize", int.class).invoke(config, 3);
        configClass.getMethod("setPoolName", String.class).invoke(config, "vigil-leak-test");
        return (DataSource) Class.forName("com.zaxxer.hikari.HikariDataSource").getConstructor(configClass)
                .newInstance(config);
    }
}
