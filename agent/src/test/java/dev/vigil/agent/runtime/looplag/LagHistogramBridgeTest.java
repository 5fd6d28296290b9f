package dev.vigil.agent.runtime.looplag;

import dev.vigil.agent.runtime.jfr.JvmRuntimeMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LagHistogramBridgeTest {
    private static final long TEN_MS = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void longStallIsBackFilledAndPublished() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LagHistogramBridge bridge = new LagHistogramBridge("platform", registry);
        for (int i = 0; i < 98; i++) {
            bridge.record(100_000, TEN_MS); // 0.1 ms oversleep
        }
        bridge.record(TimeUnit.MILLISECONDS.toNanos(500), TEN_MS); // one 500 ms stall swallowed 49 more ticks
        bridge.report();

        Timer timer = registry.get("vigil.eventloop.lag").tag("source", "platform").timer();
        assertThat(timer.count()).isEqualTo(98 + 50);
        assertThat(registry.get("vigil.eventloop.lag.max").gauge().value()).isCloseTo(0.5, within(0.01));
        assertThat(registry.get("vigil.eventloop.lag.p99").gauge().value()).isGreaterThan(0.1);
        assertThat(registry.get("vigil.eventloop.lag.p50").gauge().value()).isLessThan(0.001);

        bridge.report(); // empty interval: the last percentiles stay
        assertThat(registry.get("vigil.eventloop.lag.max").gauge().value()).isCloseTo(0.5, within(0.01));
        assertThat(timer.count()).isEqualTo(148);
    }

    /** Dashboards and alerts depend on these names: this test fails when one changes. */
    @Test
    void prometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new LagHistogramBridge("platform", registry).record(1_000_000, TEN_MS);
        try (JvmRuntimeMetrics runtime = new JvmRuntimeMetrics(Thread::new, 60_000, 0).bindTo(registry)) {
            System.gc();
            String text = registry.scrape();
            assertThat(text).contains("vigil_eventloop_lag_seconds_bucket{source=\"platform\",le=\"0.001\"}",
                    "vigil_eventloop_lag_seconds_count{source=\"platform\"}", "vigil_eventloop_lag_seconds_max{",
                    "vigil_eventloop_lag_p99_seconds{source=\"platform\"}",
                    "vigil_eventloop_lag_max_seconds{source=\"platform\"}",
                    "vigil_eventloop_lag_p50_seconds{source=\"platform\"}",
                    "jvm_memory_used_after_last_gc_bytes{jvm_memory_pool_name=",
                    "vigil_heap_live_growth_bytes_per_second ",
                    "vigil_memory_allocated_bytes_total ",
                    "vigil_safepoint_duration_seconds_count ",
                    "jvm_cpu_recent_utilization ", "jvm_system_cpu_utilization ",
                    "jvm_thread_count{jvm_thread_daemon=\"true\"}", "jvm_class_count ", "jvm_class_loaded_total ",
                    "jvm_class_unloaded_total ");
        }
    }
}
