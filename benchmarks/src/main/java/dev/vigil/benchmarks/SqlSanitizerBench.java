package dev.vigil.benchmarks;

import dev.vigil.agent.db.QueryInfo;
import dev.vigil.agent.db.SqlSanitizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link SqlSanitizer#sanitize} and {@link QueryInfo#parse} (sanitize + operation, collection and summary: what
 * the JDBC instrumentation does once per distinct statement text) on statements of growing size (issue 4). The
 * baseline copies the same characters, up to the sanitizer's scan limit, into a {@code StringBuilder} one at a
 * time: the floor for any one-pass rewriter.
 *
 * <p>Statements: {@code short} a 90-character lookup; {@code 1KiB}, {@code 16KiB} and {@code 64KiB} a SELECT
 * whose WHERE clause repeats string, number and date literals to that length (64 KiB is past the scan limit of
 * {@value SqlSanitizer#MAX_SCANNED} characters, and output stops at {@value SqlSanitizer#MAX_OUTPUT}); {@code
 * in1000} a lookup with an IN-list of 1000 numbers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
public class SqlSanitizerBench {
    @Param({"short", "1KiB", "16KiB", "64KiB", "in1000"})
    public String statement;

    private String sql;

    @Setup
    public void setUp() {
        sql = statement(statement);
    }

    static String statement(String kind) {
        switch (kind) {
            case "short":
                return "SELECT o.id, o.total FROM orders o WHERE o.customer_id = 4711 AND o.status = 'OPEN'";
            case "1KiB":
                return longSelect(1024);
            case "16KiB":
                return longSelect(16 * 1024);
            case "64KiB":
                return longSelect(64 * 1024);
            case "in1000": {
                StringBuilder sql = new StringBuilder("SELECT id, name, price FROM products WHERE id IN (");
                for (int i = 0; i < 1000; i++) {
                    sql.append(i == 0 ? "" : ", ").append(100_000 + i * 7);
                }
                return sql.append(") ORDER BY name").toString();
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** A SELECT of exactly {@code length} characters whose WHERE clause is mostly literals. */
    private static String longSelect(int length) {
        StringBuilder sql = new StringBuilder(
                "SELECT c.id, c.name, c.email, a.city FROM customers c JOIN addresses a ON a.customer_id = c.id WHERE 1 = 1");
        for (int i = 0; sql.length() < length; i++) {
            sql.append(i % 3 == 0 ? "\n  AND c.name <> 'customer name number " + i + "'"
                    : i % 3 == 1 ? " AND c.score > " + (i * 31 % 1000) + ".5"
                    : " AND c.created < DATE '2026-11-" + (10 + i % 19) + "'");
        }
        sql.setLength(length);
        return sql.toString();
    }

    @Benchmark
    public String baselineCopy() {
        int n = Math.min(sql.length(), SqlSanitizer.MAX_SCANNED);
        StringBuilder out = new StringBuilder(Math.min(n, SqlSanitizer.MAX_OUTPUT) + 8);
        for (int i = 0; i < n; i++) {
            out.append(sql.charAt(i));
        }
        return out.toString();
    }

    @Benchmark
    public String sanitize() {
        return SqlSanitizer.sanitize(sql, "h2");
    }

    @Benchmark
    public QueryInfo parse() {
        return QueryInfo.parse(sql, "h2");
    }
}
