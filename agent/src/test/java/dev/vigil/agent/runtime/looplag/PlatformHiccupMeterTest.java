package dev.vigil.agent.runtime.looplag;

import dev.vigil.exporters.AgentScheduler;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hiccup meter on the shared scheduler: time the thread spends on other jobs is not platform lag. */
class PlatformHiccupMeterTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentScheduler scheduler = new AgentScheduler(Thread::new);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void lateTickLessTheTimeOtherJobsHeldTheThread() {
        LagHistogramBridge bridge = new LagHistogramBridge("platform", registry);
        long ms = 1_000_000L;
        PlatformHiccupMeter.record(bridge, 1000 * ms, 500 * ms, 490 * ms, 10 * ms); // jobs ran 490 ms: 10 ms lag
        PlatformHiccupMeter.record(bridge, 1000 * ms, 700 * ms, 0, 10 * ms); // nothing ran: 300 ms lag
        bridge.report();
        Timer timer = registry.get("vigil.eventloop.lag").timer();
        // the 300 ms stall is back-filled (coordinated omission): 300/10 samples; the 10 ms one is one sample
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isBetween(299.0, 302.0);
        assertThat(timer.count()).isGreaterThan(25);
    }

    @Test
    void aLongJobOnTheSharedThreadIsNotReportedAsPlatformLag() throws Exception {
        try (PlatformHiccupMeter meter = new PlatformHiccupMeter(scheduler, 10, 100).bindTo(registry)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("vigil.eventloop.lag").timer().count() > 5);
            scheduler.submit(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // another agent job holding the thread
                }
            }).get();
            long after = registry.get("vigil.eventloop.lag").timer().count();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("vigil.eventloop.lag").timer().count() > after + 5);
            assertThat(registry.get("vigil.eventloop.lag").timer().max(TimeUnit.MILLISECONDS))
                    .as("the 400 ms job is not lag").isLessThan(300);
        }
    }
}
