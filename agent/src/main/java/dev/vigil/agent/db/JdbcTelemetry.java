package dev.vigil.agent.db;

import dev.vigil.agent.http.CardinalityLimiter;
import dev.vigil.agent.leak.ConnectionLeaks;
import dev.vigil.agent.metrics.MeterKey;
import dev.vigil.agent.metrics.MeterTable;
import dev.vigil.agent.trace.CurrentSpanExemplars;
import dev.vigil.agent.util.BoxedLongs;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.JdbcHook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client spans and the {@code db.client.operation.duration} histogram for JDBC, on any driver.
 *
 * <p>The SQL of a prepared statement is learnt when it is prepared and kept in a map weakly keyed by the
 * statement's identity (a field would need a class format change); a plain statement's SQL is the argument of
 * its {@code execute*} call; {@code addBatch(sql)} texts are kept per statement until the batch runs or is
 * cleared. The database (system, namespace, server) comes from the connection's JDBC URL
 * ({@code getMetaData().getURL()}, which no supported driver sends to the server), once per connection object,
 * kept weakly, and parsed once per distinct URL.
 *
 * <p>Never recorded by default: bind values (with {@code jdbc.bind.capture=slow_or_failed} they go, through
 * {@link BindValues}, on prepared statements that fail or are slow only). Never recorded at all: literals (the text is sanitized before it reaches
 * a span), exception messages (drivers echo the failing SQL, literals included, in them: the span carries the
 * exception's type and the SQLState only). Metric tags are bounded: operation, collection and error type each
 * pass a {@link CardinalityLimiter}. Thread-safe.
 */
public final class JdbcTelemetry extends JdbcHook {
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
    static final AttributeKey<String> QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> QUERY_SUMMARY = AttributeKey.stringKey("db.query.summary");
    static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
    static final AttributeKey<String> STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final String METRIC = "db.client.operation.duration";

    private static final int MAX_CACHED_QUERIES = 1000;
    /** Longer texts are parsed every time (bounded work) rather than kept: the cache stays a few MB at most. */
    private static final int MAX_CACHED_TEXT = 2048;
    private static final int MAX_CACHED_URLS = 200;
    private static final QueryInfo NO_QUERY = new QueryInfo(null, null, null, null);

    private final Tracer tracer;
    private final MeterRegistry registry;
    private final WeakIdentityMap<StatementState> statements = new WeakIdentityMap<>();
    private final WeakIdentityMap<JdbcUrl> connections = new WeakIdentityMap<>();
    private final ConcurrentHashMap<String, JdbcUrl> urls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, QueryInfo>> queries = new ConcurrentHashMap<>();
    private final AtomicInteger cachedQueries = new AtomicInteger();
    private final MeterTable<Timer> timers = new MeterTable<>();
    private final CardinalityLimiter operations = new CardinalityLimiter(50);
    private final CardinalityLimiter collections = new CardinalityLimiter(200);
    private final CardinalityLimiter errorTypes = new CardinalityLimiter(50);

    /** What the agent knows about one statement object. Batch fields are guarded by the object's lock. */
    static final class StatementState {
        final String sql;
        final JdbcUrl db;
        /** {@link #sql} parsed, set on first execution. */
        volatile QueryInfo query;
        QueryInfo batchFirst;
        boolean batchSameOperation = true;
        boolean batchSameCollection = true;
        boolean batchSameText = true;
        int batchCount;
        /**
         * Bind values by JDBC index (1-based; slot 0 unused), only with bind capture on; written by the thread using
         * the statement (statements are not shared between threads), read when it ends an execution.
         */
        Object[] binds;
        int highestBind;
        /** Per placeholder, whether its column looks secret; computed at the first capture. */
        volatile boolean[] secretParameters;

        StatementState(String sql, JdbcUrl db) {
            this.sql = sql;
            this.db = db;
        }
    }

    static final class Call {
        final Span span;
        final long startNanos;
        final JdbcUrl db;
        final QueryInfo query;
        final boolean batch;
        final int knownBatchSize;
        StatementState state;

        Call(Span span, long startNanos, JdbcUrl db, QueryInfo query, boolean batch, int knownBatchSize) {
            this.span = span;
            this.startNanos = startNanos;
            this.db = db;
            this.query = query;
            this.batch = batch;
            this.knownBatchSize = knownBatchSize;
        }
    }

    private final HikariPoolMetrics pools;
    private final ConnectionLeaks leaks;
    /** Statements at least this slow (or failing) get their bind values; negative: capture off. */
    private final long bindSlowNanos;

    public JdbcTelemetry(Tracer tracer, MeterRegistry registry) {
        this(tracer, registry, null, -1);
    }

    /**
     * @param leaks         connection-leak tracking, or null when off
     * @param bindSlowNanos bind values are recorded on statements that fail or take at least this long; negative
     *                      turns capture off (the default: bind values are never recorded)
     */
    public JdbcTelemetry(Tracer tracer, MeterRegistry registry, ConnectionLeaks leaks, long bindSlowNanos) {
        this.tracer = tracer;
        this.registry = registry;
        this.pools = new HikariPoolMetrics(registry);
        this.leaks = leaks;
        this.bindSlowNanos = bindSlowNanos;
    }

    @Override
    public void connectionAcquired(Object connection) {
        if (leaks != null) {
            leaks.acquired(connection);
        }
    }

    @Override
    public void connectionClosed(Object connection) {
        if (leaks != null) {
            leaks.closed(connection);
        }
    }

    @Override
    public void parameterSet(Object statement, int index, Object value) {
        if (bindSlowNanos < 0 || index < 1 || index > BindValues.MAX_PARAMETERS || statement == null) {
            return;
        }
        StatementState state = statements.get(statement);
        if (state == null || state.sql == null) {
            return;
        }
        Object[] binds = state.binds;
        if (binds == null) {
            binds = new Object[BindValues.MAX_PARAMETERS + 1];
            state.binds = binds;
        }
        binds[index] = value;
        if (index > state.highestBind) {
            state.highestBind = index;
        }
    }

    @Override
    public void parametersCleared(Object statement) {
        StatementState state = statement == null ? null : statements.get(statement);
        if (state != null && state.binds != null) {
            java.util.Arrays.fill(state.binds, null);
            state.highestBind = 0;
        }
    }

    /** {@code db.query.parameter.<index - 1>} for each value bound so far, redacted where it looks secret. */
    private static void recordBinds(Span span, StatementState state) {
        Object[] binds = state.binds;
        int highest = Math.min(state.highestBind, binds.length - 1);
        boolean[] secret = state.secretParameters;
        if (secret == null) {
            secret = BindValues.secretParameters(state.sql, BindValues.MAX_PARAMETERS);
            state.secretParameters = secret;
        }
        for (int index = 1; index <= highest; index++) {
            boolean secretColumn = index - 1 < secret.length && secret[index - 1];
            span.setAttribute(PARAMETER_PREFIX + (index - 1), BindValues.render(binds[index], secretColumn));
        }
    }

    static final String PARAMETER_PREFIX = "db.query.parameter.";

    @Override
    public void poolStarted(Object pool) {
        if (pool != null) {
            pools.bind(pool);
        }
    }

    @Override
    public void prepared(Object connection, Object statement, String sql) {
        if (statement == null || sql == null || AgentThread.current()) {
            return;
        }
        statements.put(statement, new StatementState(sql, database(connection)));
    }

    @Override
    public void batchAdded(Object statement, String sql) {
        if (statement == null || sql == null || AgentThread.current()) {
            return; // PreparedStatement.addBatch(): the batch size comes from executeBatch's result
        }
        StatementState state = statements.get(statement);
        if (state == null) {
            state = new StatementState(null, database(connectionOf(statement)));
            statements.put(statement, state);
        }
        QueryInfo query = query(sql, state.db.system);
        synchronized (state) {
            if (state.batchCount == 0) {
                state.batchFirst = query;
                state.batchSameOperation = true;
                state.batchSameCollection = true;
                state.batchSameText = true;
            } else {
                state.batchSameText &= eq(state.batchFirst.text, query.text);
                state.batchSameOperation &= eq(state.batchFirst.operation, query.operation);
                state.batchSameCollection &= eq(state.batchFirst.collection, query.collection);
            }
            state.batchCount++;
        }
    }

    @Override
    public void batchCleared(Object statement) {
        StatementState state = statement == null ? null : statements.get(statement);
        if (state != null) {
            synchronized (state) {
                state.batchCount = 0;
                state.batchFirst = null;
            }
        }
    }

    @Override
    public Object start(Object statement, String sql, String method) {
        if (statement == null || AgentThread.current()) {
            return null;
        }
        long startNanos = System.nanoTime();
        StatementState state = statements.get(statement);
        JdbcUrl db = state != null && state.db != null ? state.db : database(connectionOf(statement));
        boolean batch = method != null && (method.equals("executeBatch") || method.equals("executeLargeBatch"));
        QueryInfo query = NO_QUERY;
        int knownBatchSize = -1;
        if (sql != null) {
            query = query(sql, db.system);
        } else if (batch && state != null && state.sql == null) {
            synchronized (state) { // Statement.addBatch(sql)…: the batch is cleared by running it
                knownBatchSize = state.batchCount;
                if (state.batchCount > 0) {
                    query = state.batchCount == 1 ? state.batchFirst : state.batchSameOperation
                            ? state.batchFirst.asBatch(state.batchSameCollection)
                            : new QueryInfo(null, "BATCH", null, "BATCH");
                    if (state.batchCount > 1 && !state.batchSameText) {
                        query = new QueryInfo(null, query.operation, query.collection, query.summary);
                    }
                }
                state.batchCount = 0;
                state.batchFirst = null;
            }
        } else if (state != null && state.sql != null) {
            query = state.query;
            if (query == null) {
                query = query(state.sql, db.system);
                state.query = query;
            }
        }
        SpanBuilder builder = tracer.spanBuilder(spanName(query, db))
                .setParent(Context.current())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, db.system);
        if (db.namespace != null) {
            builder.setAttribute(NAMESPACE, db.namespace);
        }
        if (db.host != null) {
            builder.setAttribute(SERVER_ADDRESS, db.host);
            if (db.port > 0) {
                builder.setAttribute(SERVER_PORT, BoxedLongs.of(db.port));
            }
        }
        Span span = builder.startSpan();
        Call call = new Call(span, startNanos, db, query, batch, knownBatchSize);
        if (bindSlowNanos >= 0 && sql == null && !batch) {
            call.state = state;
        }
        return call;
    }

    @Override
    public void end(Object handle, Object result, Throwable error) {
        if (!(handle instanceof Call)) {
            return;
        }
        Call call = (Call) handle;
        long elapsedNanos = System.nanoTime() - call.startNanos;
        Span span = call.span;
        QueryInfo query = call.query;
        if (call.batch) {
            int size = call.knownBatchSize >= 0 ? call.knownBatchSize : batchSize(result, error);
            if (size >= 2) {
                span.setAttribute(BATCH_SIZE, (long) size);
                if (call.knownBatchSize < 0) {
                    query = query.asBatch(true); // one prepared statement, many parameter sets
                }
            }
            span.updateName(spanName(query, call.db));
        }
        if (query.text != null) {
            span.setAttribute(QUERY_TEXT, query.text);
        }
        if (query.operation != null) {
            span.setAttribute(OPERATION, query.operation);
        }
        if (query.collection != null) {
            span.setAttribute(COLLECTION, query.collection);
        }
        if (query.summary != null) {
            span.setAttribute(QUERY_SUMMARY, query.summary);
        }
        StatementState bound = call.state;
        if (bound != null && bound.binds != null && (error != null || elapsedNanos >= bindSlowNanos)) {
            recordBinds(span, bound);
        }
        String errorType = null;
        if (error != null) {
            errorType = error.getClass().getName();
            span.setAttribute(ERROR_TYPE, errorType);
            if (error instanceof SQLException && ((SQLException) error).getSQLState() != null) {
                span.setAttribute(STATUS_CODE, ((SQLException) error).getSQLState());
            }
            span.setStatus(StatusCode.ERROR);
            span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, errorType));
        }
        try (Scope ignored = CurrentSpanExemplars.aroundRecording(span)) { // exemplars link the bucket to this span
            timer(call.db.system, query, errorType).record(elapsedNanos, TimeUnit.NANOSECONDS);
        }
        span.end();
    }

    static String spanName(QueryInfo query, JdbcUrl db) {
        return query.summary != null ? query.summary : db.system;
    }

    private static int batchSize(Object result, Throwable error) {
        if (result instanceof int[]) {
            return ((int[]) result).length;
        }
        if (result instanceof long[]) {
            return ((long[]) result).length;
        }
        if (error instanceof BatchUpdateException) {
            int[] counts = ((BatchUpdateException) error).getUpdateCounts();
            return counts == null ? -1 : counts.length;
        }
        return -1;
    }

    /**
     * Parsed SQL, cached per database system and text: the text's own hash code is cached by {@code String}, so a
     * hit costs no allocation and no scan of a text seen before (a prepared statement's text is usually the same
     * instance every time).
     */
    QueryInfo query(String sql, String system) {
        ConcurrentHashMap<String, QueryInfo> cache = queries.get(system);
        if (cache == null) {
            cache = queries.computeIfAbsent(system, k -> new ConcurrentHashMap<>());
        }
        QueryInfo known = cache.get(sql);
        if (known != null) {
            return known;
        }
        QueryInfo parsed = QueryInfo.parse(sql, system);
        if (sql.length() <= MAX_CACHED_TEXT && cachedQueries.get() < MAX_CACHED_QUERIES
                && cache.putIfAbsent(sql, parsed) == null) {
            cachedQueries.incrementAndGet(); // texts with inlined literals would flood the cache: it stops growing
        }
        return parsed;
    }

    private static Object connectionOf(Object statement) {
        try {
            return statement instanceof Statement ? ((Statement) statement).getConnection() : null;
        } catch (SQLException | RuntimeException closed) {
            return null;
        }
    }

    /**
     * The database of a connection, cached per physical connection: a pool hands out a new proxy for every borrow
     * (HikariCP), and keying the cache by the proxy cost a metadata call and a map entry per borrow.
     */
    JdbcUrl database(Object connection) {
        if (!(connection instanceof Connection)) {
            return JdbcUrl.UNKNOWN;
        }
        Object physical = physical((Connection) connection);
        JdbcUrl known = connections.get(physical);
        if (known != null) {
            return known;
        }
        String url;
        try {
            url = ((Connection) connection).getMetaData().getURL();
        } catch (SQLException | RuntimeException e) {
            url = null;
        }
        JdbcUrl db = url == null ? JdbcUrl.UNKNOWN : urls.get(url);
        if (db == null) {
            db = JdbcUrl.parse(url);
            if (urls.size() < MAX_CACHED_URLS) {
                urls.put(url, db);
            }
        }
        connections.put(physical, db);
        return db;
    }

    /** What a pool's proxy wraps ({@code unwrap}; a driver's own connection returns itself), else the connection. */
    private static Object physical(Connection connection) {
        try {
            Connection inner = connection.unwrap(Connection.class);
            return inner == null ? connection : inner;
        } catch (SQLException | RuntimeException | LinkageError e) {
            return connection;
        }
    }

    /** A timer and the telemetry whose registry holds it (tests run several). */
    record OwnedTimer(JdbcTelemetry owner, Timer timer) {
    }

    private Timer timer(String system, QueryInfo query, String errorType) {
        if (errorType == null) {
            OwnedTimer cached = query.successTimer;
            if (cached != null && cached.owner == this) {
                return cached.timer;
            }
            Timer timer = keyedTimer(system, query, null);
            query.successTimer = new OwnedTimer(this, timer);
            return timer;
        }
        return keyedTimer(system, query, errorType);
    }

    private Timer keyedTimer(String system, QueryInfo query, String errorType) {
        String operation = operations.limit(query.operation);
        String collection = collections.limit(query.collection);
        String error = errorTypes.limit(errorType);
        Timer timer = timers.get(system, operation, collection, error, null, 0, 0);
        if (timer == null) {
            MeterKey key = new MeterKey(system, operation, collection, error, null, 0, 0);
            timer = timers.add(key, () -> Timer.builder(METRIC)
                    .description("Duration of database client operations")
                    .serviceLevelObjectives(BUCKETS)
                    .tag("db.system.name", system)
                    .tag("db.operation.name", operation == null ? "" : operation)
                    .tag("db.collection.name", collection == null ? "" : collection)
                    .tag("error.type", error == null ? "" : error)
                    .register(registry));
        }
        return timer;
    }

    /** The semantic conventions' advised boundaries for database operations, in seconds. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    /** Statements with state (prepared or batching, not yet collected); for tests. */
    int trackedStatements() {
        statements.expunge();
        return (int) statements.size();
    }
}
