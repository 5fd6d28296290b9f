package dev.vigil.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The orders service's database: H2 in memory behind a HikariCP pool, plain JDBC, no tracing code. With
 * {@code slowSql} every tenth order also runs a slow report query (about 200 ms), which the
 * {@code db.client.operation.duration} histogram and the trace show.
 */
final class OrderStore {
    private final HikariDataSource pool;
    private final boolean slowSql;

    OrderStore(boolean slowSql) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPoolName("orders");
        config.setMaximumPoolSize(8);
        this.pool = new HikariDataSource(config);
        this.slowSql = slowSql;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id BIGINT PRIMARY KEY, item VARCHAR(100), created TIMESTAMP)");
            s.execute("CREATE TABLE IF NOT EXISTS stock (item VARCHAR(100) PRIMARY KEY, quantity INT)");
            s.execute("MERGE INTO stock KEY (item) VALUES ('book', 1000000)");
            s.execute("CREATE ALIAS IF NOT EXISTS PAUSE FOR \"java.lang.Thread.sleep(long)\"");
        }
    }

    /** Places one order: a stock check, an insert and a stock update in one transaction. */
    long place(long id, String item) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement stock = c.prepareStatement("SELECT quantity FROM stock WHERE item = ?")) {
                stock.setString(1, item);
                try (ResultSet rs = stock.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) <= 0) {
                        c.rollback();
                        return -1;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO orders (id, item, created) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                insert.setLong(1, id);
                insert.setString(2, item);
                insert.executeUpdate();
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE stock SET quantity = quantity - 1 WHERE item = ?")) {
                update.setString(1, item);
                update.executeUpdate();
            }
            c.commit();
            if (slowSql && id % 10 == 0) {
                try (Statement report = c.createStatement()) {
                    report.execute("SELECT COUNT(*), PAUSE(200) FROM orders WHERE item = 'book'");
                }
            }
            return id;
        }
    }
}
