package dev.vigil.agent.leak;

import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bridge.AgentThread;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.ReadableSpan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Leak kind {@code connection}: a {@code java.sql.Connection} the application took (a pool's borrow, a
 * {@code DataSource.getConnection}, a {@code Driver.connect} / {@code DriverManager.getConnection}) and has not
 * closed after {@code thresholdMillis}. Reported once, with the stack that took it (see below), the thread, and the
 * trace and span it was taken in; cleared with a line "returned after N s" when it is closed later.
 *
 * <p><b>What one connection is.</b> Only the outermost acquisition on a thread is tracked (the advice's call-depth
 * guard), so a pool's {@code getConnection} that creates a driver connection underneath tracks the proxy the
 * application receives, once. Connections a pool opens for itself (its physical connections, from its own
 * threads or from its constructor) are recognised when they pass the threshold, by a pool frame among the
 * callers of the acquiring call ({@link LeakSites}), and dropped without a report.
 *
 * <p><b>When the stack is recorded.</b> Recording the acquiring stack was the largest part of the agent's own CPU
 * on a pooled service (a JVM stack walk per borrow, ≈ a quarter of Vigil's frames in a profile of the orders
 * service, and 0.6 KB per borrow), for reports that a service without leaks never makes. So with
 * {@code leak.connection.stacks=after_first_leak} (the default) a connection handed out by a known pool (its class
 * is one of {@link #POOLS}' proxies) is tracked without its stack until the first connection leak is suspected:
 * that report names the thread, the trace id and the span the connection was taken in, and says that stacks are
 * recorded from then on, so the next leak (leaks that hurt repeat) carries its stack. Connections of any other class
 * (a driver's, which may be a pool's own physical connection) always get their stack, which is also what tells the
 * pool's own apart; they are rare under a pool, and without one each costs a connect. {@code always} records
 * every stack from the start.
 *
 * <p><b>Cost.</b> Per acquisition: a read of the current span, one weak map entry and, when recorded, one
 * {@link Throwable} (the JVM fills in its compact backtrace; the {@code StackTraceElement}s, the expensive part, are
 * only made for connections that pass the threshold, which is also when the site is computed); per {@code close}:
 * one map removal. Connections are held weakly. One checker on the agent's shared scheduler walks the open
 * connections every {@link #checkPeriodMillis(long)}; there is no task per connection.
 *
 * <p><b>Collected without close.</b> A tracked connection garbage-collected before it was closed is a leak (a pool
 * keeps counting it as in use, a driver's socket may stay open): it goes to {@link LeakRegistry#collected}, but
 * only for connections acquired after the agent first saw a {@code close()} of their class, and at most
 * {@link #MAX_PENDING_COLLECTED} per check. A connection past the threshold that answers {@code isClosed()} with
 * true was closed where the agent could not see it and is dropped silently: a missed instrumentation must never
 * turn into false leak reports.
 */
public final class ConnectionLeaks {
    public static final String KIND = "connection";
    /** Pools whose own connections are not the application's, and whose proxies are what they hand out. */
    private static final String[] POOLS = {"com.zaxxer.hikari.", "org.apache.commons.dbcp", "org.apache.tomcat.jdbc.",
            "org.apache.tomcat.dbcp.", "com.mchange.", "oracle.ucp.", "io.agroal.", "org.vibur.", "com.alibaba.druid."};

    private final LeakRegistry registry;
    private final long thresholdNanos;
    private final LongSupplier nanoTime;
    private final LongSupplier epochMillis;
    /** Whether a connection of this class was handed out by a pool (no stack needed to tell it from the pool's own). */
    private final Predicate<Class<?>> handedOutByPool;
    /** Every acquisition records its stack: {@code always}, or since the first suspected leak. */
    private volatile boolean recordStacks;
    /** Collected before they were closed, waiting for the checker; bounded (a burst beyond it is not reported). */
    private final ConcurrentLinkedQueue<Borrow> collected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCollected = new AtomicInteger();
    private final WeakIdentityMap<Borrow> open = new WeakIdentityMap<>(this::collected);
    /**
     * Connection classes whose {@code close()} has been seen, with when it was first seen (nanoTime). A connection
     * collected unclosed is reported only if its class is here and it was acquired after that moment: before it,
     * its close may have happened where the agent could not see it (a class the instrumentation missed, or had
     * not reached yet while the agent was starting).
     */
    private final ConcurrentHashMap<Class<?>, Long> closeSeenSince = new ConcurrentHashMap<>();

    /** The acquiring stack; a Throwable so that the JVM records it cheaply and materialises it only if asked. */
    static final class AcquiredAt extends Throwable {
        AcquiredAt() {
            super("connection acquired here");
        }
    }

    private static final Object CLOSED = new Object();
    private static final AtomicReferenceFieldUpdater<Borrow, Object> STATE =
            AtomicReferenceFieldUpdater.newUpdater(Borrow.class, Object.class, "state");

    static final int MAX_PENDING_COLLECTED = 1024;

    private static final ClassValue<Boolean> POOL_PROXY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return LeakSites.startsWithAny(type.getName(), POOLS);
        }
    };

    private static final StackTraceElement[] NOT_RECORDED = new StackTraceElement[0];

    static final class Borrow {
        /** null when the stack was not recorded. */
        final AcquiredAt acquiredAt;
        final Class<?> type;
        final long acquiredNanos;
        final long acquiredEpochMillis;
        final String thread;
        /** The trace and span the connection was taken in, or null outside any. */
        final String traceId;
        final String spanName;
        /** null, then the {@link Suspect} (set by the checker) or {@link #CLOSED}; changed by CAS only. */
        volatile Object state;
        /** Materialised by the checker thread only. */
        StackTraceElement[] frames;

        Borrow(Class<?> type, boolean recordStack, long acquiredNanos, long acquiredEpochMillis, String thread,
               Span span) {
            this.acquiredAt = recordStack ? new AcquiredAt() : null;
            this.type = type;
            this.acquiredNanos = acquiredNanos;
            this.acquiredEpochMillis = acquiredEpochMillis;
            this.thread = thread;
            SpanContext context = span.getSpanContext();
            this.traceId = context.isValid() ? context.getTraceId() : null;
            this.spanName = context.isValid() && span instanceof ReadableSpan ? ((ReadableSpan) span).getName() : null;
        }

        /** The frames from the acquiring call outwards; empty when the stack was not recorded. */
        StackTraceElement[] frames() {
            if (frames == null) {
                frames = acquiredAt == null ? NOT_RECORDED : LeakSites.fromInstrumentedCall(acquiredAt.getStackTrace());
            }
            return frames;
        }

        /** Where it was taken, beyond the stack: thread, trace and span. */
        String takenIn() {
            return "taken on thread \"" + thread + "\"" + (traceId == null ? ""
                    : " in trace " + traceId + (spanName == null ? "" : " (span \"" + spanName + "\")"));
        }
    }

    /** @param alwaysStacks {@code leak.connection.stacks=always}: every acquisition records its stack */
    public ConnectionLeaks(LeakRegistry registry, long thresholdMillis, boolean alwaysStacks) {
        this(registry, thresholdMillis, alwaysStacks, POOL_PROXY::get, System::nanoTime,
                System::currentTimeMillis);
    }

    ConnectionLeaks(LeakRegistry registry, long thresholdMillis, boolean alwaysStacks,
                    Predicate<Class<?>> handedOutByPool, LongSupplier nanoTime, LongSupplier epochMillis) {
        this.registry = registry;
        this.thresholdNanos = thresholdMillis * 1_000_000L;
        this.recordStacks = alwaysStacks;
        this.handedOutByPool = handedOutByPool;
        this.nanoTime = nanoTime;
        this.epochMillis = epochMillis;
    }

    /** Schedules the checker on the agent's shared scheduler. */
    public ConnectionLeaks start() {
        registry.every(checkPeriodMillis(thresholdNanos / 1_000_000L), KIND, this::check);
        return this;
    }

    /** A quarter of the threshold, between 100 ms and 5 s: a leak is reported at most 25 % (or 5 s) late. */
    static long checkPeriodMillis(long thresholdMillis) {
        return Math.max(100, Math.min(5000, thresholdMillis / 4));
    }

    /** The application obtained {@code connection}. */
    public void acquired(Object connection) {
        if (connection == null || AgentThread.current()) {
            return;
        }
        Class<?> type = connection.getClass();
        open.put(connection, new Borrow(type, recordStacks || !handedOutByPool.test(type), nanoTime.getAsLong(),
                epochMillis.getAsLong(), Thread.currentThread().getName(), Span.current()));
    }

    /** {@code connection.close()} was called (a pool's proxy: returned to the pool). */
    public void closed(Object connection) {
        Borrow borrow = open.remove(connection);
        if (borrow != null) {
            if (!closeSeenSince.containsKey(borrow.type)) {
                closeSeenSince.putIfAbsent(borrow.type, nanoTime.getAsLong());
            }
            Object state = STATE.getAndSet(borrow, CLOSED);
            if (state instanceof Suspect) {
                registry.clear((Suspect) state, "returned after " + (nanoTime.getAsLong() - borrow.acquiredNanos)
                        / 1_000_000_000L + " s");
            }
        }
    }

    private void collected(Borrow borrow) {
        if (pendingCollected.incrementAndGet() > MAX_PENDING_COLLECTED) {
            pendingCollected.decrementAndGet();
            return;
        }
        collected.add(borrow);
    }

    /** One pass: reports connections past the threshold, handles collected ones. Runs on the agent's scheduler thread. */
    void check() {
        open.expunge();
        long now = nanoTime.getAsLong();
        List<Map.Entry<Object, Borrow>> overdue = new ArrayList<>();
        open.forEach((connection, borrow) -> {
            if (borrow.state == null && now - borrow.acquiredNanos >= thresholdNanos) {
                overdue.add(Map.entry(connection, borrow));
            }
        });
        for (Map.Entry<Object, Borrow> entry : overdue) {
            Object connection = entry.getKey();
            Borrow borrow = entry.getValue();
            StackTraceElement[] frames = borrow.frames();
            if (LeakSites.calledFrom(frames, POOLS) || reportsClosed(connection)) {
                open.remove(connection); // the pool's own physical connection, or a close the agent did not see
                continue;
            }
            String site = LeakSites.site(frames);
            long heldSeconds = (now - borrow.acquiredNanos) / 1_000_000_000L;
            Suspect suspect = registry.report(KIND, site, "connection " + describe(connection) + " "
                            + borrow.takenIn() + " " + heldSeconds + " s ago and not closed (threshold "
                            + thresholdNanos / 1_000_000L + " ms)" + stackNote(borrow),
                    LeakSites.lines(frames, LeakRegistry.MAX_FRAMES), borrow.acquiredEpochMillis);
            if (!STATE.compareAndSet(borrow, null, suspect)) { // closed meanwhile
                registry.clear(suspect, "returned after " + (nanoTime.getAsLong() - borrow.acquiredNanos) / 1_000_000_000L
                        + " s");
            }
        }
        for (Borrow borrow; (borrow = collected.poll()) != null; ) {
            pendingCollected.decrementAndGet();
            Long closeSeen = closeSeenSince.get(borrow.type);
            if (closeSeen == null || borrow.acquiredNanos - closeSeen <= 0) {
                continue;
            }
            StackTraceElement[] frames = borrow.frames();
            if (LeakSites.calledFrom(frames, POOLS)) {
                continue;
            }
            Object state = STATE.getAndSet(borrow, CLOSED);
            registry.collected(KIND, LeakSites.site(frames), state instanceof Suspect ? (Suspect) state : null,
                    "a connection " + borrow.takenIn() + " was garbage-collected without close()" + stackNote(borrow),
                    LeakSites.lines(frames, LeakRegistry.MAX_FRAMES));
        }
    }

    /**
     * For a leak reported without its stack: says so, and turns stack recording on for every acquisition from now
     * on; empty otherwise.
     */
    private String stackNote(Borrow borrow) {
        if (borrow.acquiredAt != null) {
            return "";
        }
        recordStacks = true;
        return "; its stack was not recorded (leak.connection.stacks=after_first_leak): connection stacks are recorded"
                + " from now on";
    }

    private static boolean reportsClosed(Object connection) {
        try {
            return connection instanceof java.sql.Connection && ((java.sql.Connection) connection).isClosed();
        } catch (java.sql.SQLException | RuntimeException e) {
            return false;
        }
    }

    private static String describe(Object connection) {
        return connection.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(connection));
    }

    /** Connections tracked now (for tests). */
    int tracked() {
        open.expunge();
        return (int) open.size();
    }
}
