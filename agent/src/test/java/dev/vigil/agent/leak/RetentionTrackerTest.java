package dev.vigil.agent.leak;

import dev.vigil.agent.AgentThreads;
import dev.vigil.testapps.leak.Registrar;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionTrackerTest {
    static final String SITE = "dev.vigil.testapps.leak.Registrar.add";
    static final String OTHER_SITE = "dev.vigil.testapps.leak.Registrar.addElsewhere";
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LeakRegistry registry = new LeakRegistry(meters, new dev.vigil.exporters.AgentScheduler(new AgentThreads("test-leak")), () -> 1_000_000L);
    private final RetentionTracker tracker = new RetentionTracker("listener", "listeners", registry, meters, 3, 10,
            () -> 1_000L);
    private final LeakTelemetry telemetry = new LeakTelemetry(tracker, null);
    private final Object owner = new Object();
    private final List<Object> listeners = new ArrayList<>();

    private void add(int n) {
        for (int i = 0; i < n; i++) {
            Object listener = new Object();
            listeners.add(listener);
            Registrar.add(telemetry, owner, listener);
        }
    }

    private double suspected(String site) {
        var gauge = meters.find(LeakRegistry.SUSPECTED).tag("kind", "listener").tag("site", site).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private double retained(String site) {
        return meters.get(RetentionTracker.RETAINED).tag("kind", "listener").tag("site", site).gauge().value();
    }

    @Test
    void aSiteIsSuspectedAfterGrowingInConsecutiveWindowsAndClearsWhenItStopsGrowing() {
        add(4);
        tracker.check();
        add(4);
        tracker.check();
        assertThat(suspected(SITE)).as("two windows of growth are not enough").isZero();
        add(4);
        tracker.check();
        assertThat(suspected(SITE)).isEqualTo(1.0);
        assertThat(retained(SITE)).isEqualTo(12.0);
        assertThat(registry.suspects()).singleElement().satisfies(s -> {
            assertThat(s.site()).isEqualTo(SITE);
            assertThat(s.description()).startsWith("12 listeners on java.lang.Object");
            assertThat(s.stack().get(1)).contains("Registrar.add");
        });
        tracker.check();
        tracker.check();
        assertThat(suspected(SITE)).as("still suspected after two flat windows").isEqualTo(1.0);
        tracker.check();
        assertThat(suspected(SITE)).as("cleared after three flat windows").isZero();
    }

    @Test
    void growthUnderTheMinimumIsNotALeak() {
        for (int i = 0; i < 5; i++) {
            add(1);
            tracker.check();
        }
        assertThat(retained(SITE)).isEqualTo(5.0);
        assertThat(suspected(SITE)).isZero();
    }

    @Test
    void removalsBalanceAdditionsIncludingTheSameListenerAddedTwice() {
        add(3);
        Object twice = listeners.get(0);
        Registrar.add(telemetry, owner, twice);
        assertThat(retained(SITE)).isEqualTo(4.0);
        telemetry.listenerRemoved(owner, twice);
        assertThat(retained(SITE)).isEqualTo(3.0);
        for (Object l : listeners) {
            telemetry.listenerRemoved(owner, l);
        }
        telemetry.listenerRemoved(owner, twice); // once more than added: ignored
        telemetry.listenerRemoved(owner, new Object()); // never seen
        assertThat(retained(SITE)).isZero();
    }

    @Test
    void eachRegisteringSiteCountsApart() {
        add(2);
        Registrar.addElsewhere(telemetry, owner, new Object());
        assertThat(retained(SITE)).isEqualTo(2.0);
        assertThat(retained(OTHER_SITE)).isEqualTo(1.0);
    }

    @Test
    void registrationsByTheAgentItselfAreNotCounted() {
        // a JDK method standing for the instrumented one, called by agent code
        List.of(1).forEach(x -> telemetry.listenerAdded(owner, new Object()));
        assertThat(meters.find(RetentionTracker.RETAINED).gauges()).isEmpty();
    }

    @Test
    void periodicTasksAreCountedAtTheSiteOfTheirClassFoundOnce() {
        RetentionTracker timers = new RetentionTracker("timer", "periodic tasks", registry, meters, 3, 10, () -> 1_000L);
        LeakTelemetry timerTelemetry = new LeakTelemetry(null, timers);
        Runnable ping = () -> { };
        Runnable other = new Thread(); // a second task class
        for (int i = 0; i < 5; i++) {
            Registrar.schedule(timerTelemetry, owner, new Object(), ping);
        }
        // the same task class from another method still counts where the class was first seen
        Registrar.scheduleElsewhere(timerTelemetry, owner, new Object(), ping);
        Registrar.scheduleElsewhere(timerTelemetry, owner, new Object(), other);
        assertThat(meters.get(RetentionTracker.RETAINED).tag("kind", "timer")
                .tag("site", "dev.vigil.testapps.leak.Registrar.schedule").gauge().value()).isEqualTo(6.0);
        assertThat(meters.get(RetentionTracker.RETAINED).tag("kind", "timer")
                .tag("site", "dev.vigil.testapps.leak.Registrar.scheduleElsewhere").gauge().value()).isEqualTo(1.0);
    }
}
