package dev.vigil.agent.runtime.jfr;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JvmRuntimeMetricsTest {
    @Test
    void jmxFallbackRecordsCollectionsAndGauges() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JvmRuntimeMetrics metrics = new JvmRuntimeMetrics(Thread::new, 60_000, 0, false).bindTo(registry)) {
            assertThat(metrics.usingJfr()).isFalse();
            System.gc();
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("jvm.gc.duration").timers().stream()
                    .mapToLong(Timer::count).sum() > 0);
            Timer timer = registry.find("jvm.gc.duration").tag("jvm.gc.cause", "System.gc()").timer();
            assertThat(timer).isNotNull();
            assertThat(timer.getId().getTag("jvm.gc.action")).startsWith("end of");
            assertThat(registry.find("jvm.memory.used_after_last_gc").gauges()).isNotEmpty();
            assertThat(registry.get("jvm.class.count").gauge().value()).isPositive();
            assertThat(registry.get("jvm.thread.count").tag("jvm.thread.daemon", "false").gauge().value()).isPositive();
            assertThat(registry.find("vigil.memory.allocated").functionCounter()).isNull();
        }
    }

    @Test
    void jfrStreamRecordsCollections() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JvmRuntimeMetrics metrics = new JvmRuntimeMetrics(Thread::new, 60_000, 0).bindTo(registry)) {
            assertThat(metrics.usingJfr()).isTrue();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return registry.find("jvm.gc.duration").tag("jvm.gc.cause", "System.gc()").timers().stream()
                        .mapToLong(Timer::count).sum() > 0
                        && registry.get("vigil.safepoint.duration").timer().count() > 0
                        && !Double.isNaN(registry.get("jvm.cpu.recent_utilization").gauge().value());
            });
        }
    }
}
