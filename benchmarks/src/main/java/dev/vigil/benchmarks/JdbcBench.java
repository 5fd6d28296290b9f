package dev.vigil.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * An H2 in-memory query with and without the agent (issue 4): one primary-key lookup of a 100-row table, reading
 * the row. {@code executeQuery} reuses a statement prepared once (what a statement cache gives); {@code
 * prepareAndExecuteQuery} prepares, executes and closes it each time (the agent also learns the SQL at prepare
 * time). With the agent every call makes one CLIENT span (a root span: no request is active) and records
 * {@code db.client.operation.duration}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1) // the agent fork needs 6-10 s to reach steady state on a loaded 2-core machine
@Measurement(iterations = 3, time = 1)
public abstract class JdbcBench {
    static final String QUERY = "SELECT id, name FROM items WHERE id = ?";
    private static final int ROWS = 100;

    private Connection connection;
    private PreparedStatement prepared;
    private int next;

    abstract boolean withAgent();

    @Setup
    public void setUp() throws SQLException {
        AgentFork.expectAgent(withAgent());
        connection = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS items (id INT PRIMARY KEY, name VARCHAR(64))");
            ddl.execute("DELETE FROM items");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                insert.setInt(1, i);
                insert.setString(2, "item " + i);
                insert.executeUpdate();
            }
        }
        prepared = connection.prepareStatement(QUERY);
    }

    @TearDown
    public void tearDown() throws SQLException {
        prepared.close();
        connection.close();
    }

    private int nextId() {
        int id = next;
        next = id + 1 == ROWS ? 0 : id + 1;
        return id;
    }

    @Benchmark
    public String executeQuery() throws SQLException {
        prepared.setInt(1, nextId());
        try (ResultSet rows = prepared.executeQuery()) {
            return rows.next() ? rows.getString(2) : null;
        }
    }

    @Benchmark
    public String prepareAndExecuteQuery() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setInt(1, nextId());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(2) : null;
            }
        }
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
    public static class NoAgent extends JdbcBench {
        @Override
        boolean withAgent() {
            return false;
        }
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX, AgentFork.JAVAAGENT})
    public static class Vigil extends JdbcBench {
        @Override
        boolean withAgent() {
            return true;
        }
    }
}
