package dev.vigil.agent.db;

import dev.vigil.testing.CollectingSpanExporter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The hook alone, driven as the advice drives it, over proxy JDBC objects. */
class JdbcTelemetryTest {
    private final CollectingSpanExporter exporter = new CollectingSpanExporter();
    private final List<SpanData> spans = exporter.spans;
    private final SdkTracerProvider provider = exporter.provider();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JdbcTelemetry telemetry = new JdbcTelemetry(provider.get("test"), registry);
    private final AtomicInteger metadataCalls = new AtomicInteger();
    private final Connection connection = connection("jdbc:postgresql://db.internal:5433/shop?password=hunter2");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void preparedStatementSpanCarriesTheSanitizedPreparedTextAndTheDatabase() {
        Statement ps = statement(PreparedStatement.class, connection);
        telemetry.prepared(connection, ps, "SELECT * FROM orders WHERE id = ? AND status = 'open'");
        telemetry.end(telemetry.start(ps, null, "executeQuery"), null, null);

        SpanData span = only();
        assertThat(span.getName()).isEqualTo("SELECT orders");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(attr(span, "db.system.name")).isEqualTo("postgresql");
        assertThat(attr(span, "db.namespace")).isEqualTo("shop");
        assertThat(attr(span, "server.address")).isEqualTo("db.internal");
        assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(5433L);
        assertThat(attr(span, "db.query.text")).isEqualTo("SELECT * FROM orders WHERE id = ? AND status = ?");
        assertThat(attr(span, "db.query.summary")).isEqualTo("SELECT orders");
        assertThat(span.getAttributes().toString()).doesNotContain("hunter2").doesNotContain("open");
        Timer timer = registry.get("db.client.operation.duration").tag("db.system.name", "postgresql")
                .tag("db.operation.name", "SELECT").tag("db.collection.name", "orders").tag("error.type", "").timer();
        assertThat(timer.count()).isEqualTo(1);
    }

    @Test
    void theConnectionUrlIsReadOncePerConnection() {
        for (int i = 0; i < 5; i++) {
            Statement s = statement(Statement.class, connection);
            telemetry.end(telemetry.start(s, "SELECT 1", "executeQuery"), null, null);
        }
        assertThat(spans).hasSize(5);
        assertThat(metadataCalls).hasValue(1);
    }

    @Test
    void databaseIsLookedUpOncePerPhysicalConnectionNotPerPoolProxy() {
        for (int borrow = 0; borrow < 3; borrow++) {
            Connection proxy = pooled(connection);
            telemetry.prepared(proxy, statement(PreparedStatement.class, proxy), "SELECT 1");
        }
        assertThat(metadataCalls).as("one metadata call for three borrows of one connection").hasValue(1);
    }

    @Test
    void statementBatchOfTwoTextsIsOneBatchSpan() {
        Statement s = statement(Statement.class, connection);
        telemetry.batchAdded(s, "INSERT INTO items VALUES (1, 'a')");
        telemetry.batchAdded(s, "INSERT INTO items VALUES (2, 'b')");
        telemetry.end(telemetry.start(s, null, "executeBatch"), new int[] {1, 1}, null);

        SpanData span = only();
        assertThat(span.getName()).isEqualTo("BATCH INSERT items");
        assertThat(span.getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isEqualTo(2L);
        assertThat(attr(span, "db.query.text")).isEqualTo("INSERT INTO items VALUES (?, ?)");
        // the batch is cleared by running it: a second executeBatch is empty
        telemetry.end(telemetry.start(s, null, "executeBatch"), new int[0], null);
        assertThat(spans.get(1).getName()).isEqualTo("postgresql");
    }

    @Test
    void mixedBatchKeepsNoTextAndNamesTheCommonOperationOnly() {
        Statement s = statement(Statement.class, connection);
        telemetry.batchAdded(s, "INSERT INTO a VALUES (1)");
        telemetry.batchAdded(s, "INSERT INTO b VALUES (2)");
        telemetry.batchAdded(s, "INSERT INTO b VALUES (3, 4)");
        telemetry.end(telemetry.start(s, null, "executeBatch"), new int[] {1, 1, 1}, null);
        SpanData span = only();
        assertThat(span.getName()).isEqualTo("BATCH INSERT");
        assertThat(attr(span, "db.query.text")).isNull();
        assertThat(attr(span, "db.collection.name")).isNull();
    }

    @Test
    void preparedBatchTakesItsSizeFromTheResultAndASingleRowIsNoBatch() {
        Statement ps = statement(PreparedStatement.class, connection);
        telemetry.prepared(connection, ps, "INSERT INTO items VALUES (?, ?)");
        telemetry.end(telemetry.start(ps, null, "executeBatch"), new int[] {1, 1, 1}, null);
        telemetry.end(telemetry.start(ps, null, "executeBatch"), new int[] {1}, null);
        telemetry.end(telemetry.start(ps, null, "executeLargeBatch"), null,
                new BatchUpdateException("failed", "23505", 0, new int[] {1, Statement.EXECUTE_FAILED}, null));
        assertThat(spans.get(0).getName()).isEqualTo("BATCH INSERT items");
        assertThat(spans.get(0).getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isEqualTo(3L);
        assertThat(spans.get(1).getName()).isEqualTo("INSERT items");
        assertThat(spans.get(1).getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isNull();
        assertThat(attr(spans.get(2), "db.response.status_code")).isEqualTo("23505");
        assertThat(spans.get(2).getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isEqualTo(2L);
    }

    @Test
    void failureRecordsTypeAndSqlStateButNotTheMessage() {
        Statement s = statement(Statement.class, connection);
        telemetry.end(telemetry.start(s, "SELECT * FROM nope WHERE a = 'x'", "executeQuery"), null,
                new SQLSyntaxErrorException("relation \"nope\" does not exist: SELECT * FROM nope WHERE a = 'x'",
                        "42P01"));
        SpanData span = only();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(span, "error.type")).isEqualTo("java.sql.SQLSyntaxErrorException");
        assertThat(attr(span, "db.response.status_code")).isEqualTo("42P01");
        assertThat(span.getEvents()).hasSize(1);
        assertThat(span.getEvents().get(0).getAttributes().toString()).doesNotContain("'x'").doesNotContain("relation");
        assertThat(registry.get("db.client.operation.duration")
                .tag("error.type", "java.sql.SQLSyntaxErrorException").timer().count()).isEqualTo(1);
    }

    @Test
    void oddArgumentsNeverThrow() {
        telemetry.prepared(null, null, null);
        telemetry.prepared("not a connection", new Object(), "SELECT 1");
        telemetry.batchAdded(new Object(), "INSERT INTO t VALUES (1)");
        telemetry.batchCleared(new Object());
        telemetry.end(telemetry.start(new Object(), null, "execute"), "odd", null);
        telemetry.end("not a handle", null, null);
        telemetry.end(null, null, null);
        assertThat(telemetry.start(null, "SELECT 1", "execute")).isNull();
        assertThat(only().getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("other_sql");
    }

    @Test
    void metricCardinalityIsBounded() {
        for (int i = 0; i < 500; i++) {
            Statement s = statement(Statement.class, connection);
            telemetry.end(telemetry.start(s, "SELECT * FROM t" + i, "executeQuery"), null, null);
        }
        long series = registry.find("db.client.operation.duration").timers().size();
        assertThat(series).isLessThanOrEqualTo(201);
        assertThat(registry.find("db.client.operation.duration").tag("db.collection.name", "other").timer()).isNotNull();
    }

    @Test
    void bindValuesAreRecordedOnlyOnSlowOrFailedStatementsWhenCaptureIsOn() {
        // a threshold no untimed call reaches, even on a loaded machine: the fast case must not depend on timing
        JdbcTelemetry capturing = new JdbcTelemetry(provider.get("test"), registry, null, 10_000_000_000L);
        Statement ps = statement(PreparedStatement.class, connection);
        String sql = "UPDATE users SET password = ?, note = ? WHERE id = ?";
        capturing.prepared(connection, ps, sql);
        capturing.parameterSet(ps, 1, "hunter2");
        capturing.parameterSet(ps, 2, "x".repeat(200));
        capturing.parameterSet(ps, 3, 42);

        capturing.end(capturing.start(ps, null, "executeUpdate"), null, null); // fast: nothing
        assertThat(only().getAttributes().asMap().keySet().toString()).doesNotContain("db.query.parameter");
        spans.clear();

        capturing.end(capturing.start(ps, null, "executeUpdate"), null, new SQLSyntaxErrorException("bad", "42000"));
        SpanData failed = only();
        assertThat(attr(failed, "db.query.parameter.0")).isEqualTo(BindValues.REDACTED); // password column
        assertThat(attr(failed, "db.query.parameter.1")).isEqualTo("x".repeat(64) + "...");
        assertThat(attr(failed, "db.query.parameter.2")).isEqualTo("42");
        assertThat(failed.getAttributes().toString()).doesNotContain("hunter2");
        spans.clear();

        JdbcTelemetry slowAt50ms = new JdbcTelemetry(provider.get("test"), registry, null, 50_000_000L);
        slowAt50ms.prepared(connection, ps, sql);
        slowAt50ms.parameterSet(ps, 1, "hunter2");
        slowAt50ms.parametersCleared(ps);
        slowAt50ms.parameterSet(ps, 3, 7);
        Object slow = slowAt50ms.start(ps, null, "executeUpdate");
        long until = System.nanoTime() + 60_000_000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait(); // the statement "runs" for 60 ms
        }
        slowAt50ms.end(slow, null, null);
        SpanData slowSpan = only();
        assertThat(attr(slowSpan, "db.query.parameter.2")).isEqualTo("7");
        assertThat(attr(slowSpan, "db.query.parameter.0")).isEqualTo("NULL"); // cleared
    }

    @Test
    void bindValuesAreNeverKeptWhenCaptureIsOff() {
        Statement ps = statement(PreparedStatement.class, connection);
        telemetry.prepared(connection, ps, "SELECT * FROM t WHERE a = ?");
        telemetry.parameterSet(ps, 1, "kept?");
        telemetry.end(telemetry.start(ps, null, "executeQuery"), null, new SQLException("x"));
        assertThat(only().getAttributes().toString()).doesNotContain("kept?").doesNotContain("db.query.parameter");
    }

    private SpanData only() {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private Connection connection(String url) {
        DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> {
                    if (m.getName().equals("getURL")) {
                        metadataCalls.incrementAndGet();
                        return url;
                    }
                    throw new SQLException("unsupported " + m.getName());
                });
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> m.getName().equals("getMetaData") ? metaData : identity(p, m.getName(), a));
    }

    /** What a pool hands out per borrow: a new proxy whose {@code unwrap} returns the physical connection. */
    private Connection pooled(Connection physical) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> m.getName().equals("unwrap") ? physical
                        : m.getName().equals("getMetaData") ? physical.getMetaData() : identity(p, m.getName(), a));
    }

    private Statement statement(Class<? extends Statement> type, Connection owner) {
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (p, m, a) -> m.getName().equals("getConnection") ? owner : identity(p, m.getName(), a));
    }

    private static Object identity(Object proxy, String method, Object[] args) throws SQLException {
        switch (method) {
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "proxy";
            default:
                throw new SQLException("unsupported " + method);
        }
    }
}
