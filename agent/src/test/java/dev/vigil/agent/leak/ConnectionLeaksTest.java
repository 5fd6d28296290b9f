package dev.vigil.agent.leak;

import dev.vigil.agent.AgentThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.vigil.testapps.jdbc.LeakSimulation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionLeaksTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LeakRegistry registry = new LeakRegistry(meters, new dev.vigil.exporters.AgentScheduler(new AgentThreads("test-leak")));
    private final AtomicLong nanos = new AtomicLong();
    private final ConnectionLeaks leaks = leaks(false);

    /** Stands for a pool's proxy, the connection a pool hands out. */
    private static final class PooledConnection {
    }

    private ConnectionLeaks leaks(boolean alwaysStacks) {
        return new ConnectionLeaks(registry, 1000, alwaysStacks, type -> type == PooledConnection.class, nanos::get,
                System::currentTimeMillis);
    }

    private static final String SITE = LeakSimulation.class.getName() + ".application";

    /** The application takes a connection through an instrumented method. */
    private void applicationTakes(Object connection) {
        applicationTakes(leaks, connection);
    }

    private static void applicationTakes(ConnectionLeaks leaks, Object connection) {
        LeakSimulation.application(() -> leaks.acquired(connection));
    }

    private static final SpanContext REQUEST = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

    @Test
    void aPooledConnectionIsTrackedWithoutItsStackUntilTheFirstLeakThenWithIt() {
        Object first = new PooledConnection();
        try (Scope ignored = Span.wrap(REQUEST).makeCurrent()) {
            applicationTakes(first);
        }
        nanos.set(1_500_000_000L);
        leaks.check();
        assertThat(registry.suspects()).hasSize(1);
        Suspect stackless = registry.suspects().get(0);
        assertThat(stackless.site()).isEqualTo("unknown");
        assertThat(stackless.stack()).isEmpty();
        assertThat(stackless.description())
                .contains("taken on thread \"" + Thread.currentThread().getName() + "\" in trace " + REQUEST.getTraceId())
                .endsWith("its stack was not recorded (leak.connection.stacks=after_first_leak): connection stacks are"
                        + " recorded from now on");

        Object second = new PooledConnection();
        applicationTakes(second); // outside any span
        nanos.set(3_000_000_000L);
        leaks.check();
        assertThat(registry.suspects()).hasSize(2);
        Suspect withStack = registry.suspects().get(1);
        assertThat(withStack.site()).isEqualTo(SITE);
        assertThat(withStack.stack().get(0)).contains("driverConnect");
        assertThat(withStack.description()).doesNotContain("trace").doesNotContain("not recorded");
    }

    @Test
    void alwaysRecordsThePooledConnectionsStackFromTheFirstBorrow() {
        ConnectionLeaks always = leaks(true);
        applicationTakes(always, new PooledConnection());
        nanos.set(1_500_000_000L);
        always.check();
        assertThat(registry.suspects()).singleElement().satisfies(s -> assertThat(s.site()).isEqualTo(SITE));
    }

    @Test
    void reportedOncePastTheThresholdWithTheApplicationSiteThenClearedOnClose() {
        Object connection = new Object();
        applicationTakes(connection);
        nanos.set(999_000_000L);
        leaks.check();
        assertThat(registry.suspects()).isEmpty();

        nanos.set(1_500_000_000L);
        leaks.check();
        leaks.check(); // once only
        assertThat(registry.suspects()).hasSize(1);
        Suspect suspect = registry.suspects().get(0);
        assertThat(suspect.kind()).isEqualTo("connection");
        assertThat(suspect.site()).isEqualTo(SITE);
        assertThat(suspect.stack().get(0)).contains("driverConnect");

        nanos.set(3_000_000_000L);
        leaks.closed(connection);
        assertThat(registry.suspects()).isEmpty();
        assertThat(leaks.tracked()).isZero();
        assertThat(meters.get(LeakRegistry.SUSPECTED).gauge().value()).isEqualTo(0.0);
    }

    @Test
    void closedInTimeIsNeverReported() {
        Object connection = new Object();
        applicationTakes(connection);
        leaks.closed(connection);
        nanos.set(10_000_000_000L);
        leaks.check();
        assertThat(registry.suspects()).isEmpty();
        assertThat(meters.find(LeakRegistry.SUSPECTED).gauges()).isEmpty();
    }

    @Test
    void collectedWithoutCloseIsCountedOnceCloseOfThatClassHasBeenSeen() {
        Object closedOne = new Object();
        applicationTakes(closedOne);
        leaks.closed(closedOne); // close() of java.lang.Object "connections" is observable from now on
        nanos.set(1);
        applicationTakes(new Object());
        await().until(() -> {
            System.gc();
            leaks.check();
            return meters.find(LeakRegistry.COLLECTED).counter() != null;
        });
        assertThat(meters.get(LeakRegistry.COLLECTED).counter().count()).isEqualTo(1.0);
        assertThat(meters.get(LeakRegistry.COLLECTED).counter().getId().getTag("site"))
                .isEqualTo(SITE);
    }

    @Test
    void collectedConnectionsOfAClassWhoseCloseWasNeverSeenAreNotReported() {
        applicationTakes(new StringBuilder("never closed where the agent can see"));
        await().until(() -> {
            System.gc();
            leaks.check();
            return leaks.tracked() == 0;
        });
        leaks.check();
        assertThat(meters.find(LeakRegistry.COLLECTED).counter()).isNull();
    }

    @Test
    void checkPeriodFollowsTheThresholdWithinBounds() {
        assertThat(ConnectionLeaks.checkPeriodMillis(60_000)).isEqualTo(5000);
        assertThat(ConnectionLeaks.checkPeriodMillis(1000)).isEqualTo(250);
        assertThat(ConnectionLeaks.checkPeriodMillis(100)).isEqualTo(100);
    }
}
