package dev.vigil.agent.runtime;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.Scrape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runtime meters in a real JVM with the agent, under each collector: forced collections reach
 * {@code jvm.gc.duration}, a retained set that keeps growing gives a positive {@code vigil.heap.live.growth}, and a
 * stop-the-world pause (a heap dump) shows in the platform lag.
 */
class RuntimeMetricsIT {
    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseG1GC", "-XX:+UseZGC"})
    void gcDurationLiveSetGrowthAndPlatformLag(String gc) throws Exception {
        int port = Scrape.freePort();
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.RuntimeApp")
                .withAgent("prometheus.port=" + port + ",traces.exporter=none,metrics.exporter=prometheus,"
                        + "runtime.heap.growth.window.ms=6000,runtime.heap.growth.warmup.ms=2000,"
                        + "looplag.report.interval.ms=1000")
                .jvmArg(gc)
                .args("grow", "40")
                .start()) {
            app.awaitReadyPort();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String body = Scrape.text(port);
                assertThat(Scrape.sum(body, "jvm_gc_duration_seconds_count{", "jvm_gc_cause=\"System.gc()\""))
                        .as("forced collections").isGreaterThanOrEqualTo(3);
                assertThat(Scrape.value(body, "vigil_heap_live_growth_bytes_per_second"))
                        .as("live-set growth, bytes/s").isGreaterThan(100_000);
                assertThat(Scrape.value(body, "vigil_memory_allocated_bytes_total")).isPositive();
                assertThat(Scrape.value(body, "vigil_safepoint_duration_seconds_count")).isPositive();
                assertThat(Scrape.value(body, "jvm_cpu_recent_utilization")).isBetween(0.0, 1.0);
            });

            // a stop-the-world pause: the lag samples above 50 ms must grow, and one interval's max must show it
            double before = above(Scrape.text(port), 0.05);
            double[] maxLagSeen = {0};
            String dumped = null;
            // on a loaded machine, or with the parallel heap dump of JDK 22+ (whose stop-the-world part is shorter than
            // the dump), one dump's pause may come out short: up to five dumps
            for (int attempt = 1; attempt <= 5; attempt++) {
                app.process().getOutputStream().write("dump\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                app.process().getOutputStream().flush();
                int dumps = attempt;
                dumped = app.awaitLine(l -> l.startsWith("DUMPED") && app.lines().stream()
                        .filter(x -> x.startsWith("DUMPED")).count() >= dumps, Duration.ofSeconds(30));
                try {
                    await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(250)).until(() -> {
                        String body = Scrape.text(port);
                        maxLagSeen[0] = Math.max(maxLagSeen[0],
                                Scrape.value(body, "vigil_eventloop_lag_max_seconds{source=\"platform\"}"));
                        return above(body, 0.05) > before && maxLagSeen[0] >= 0.05;
                    });
                    break;
                } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                    // try another pause
                }
            }
            String lastDump = dumped;
            assertThat(above(Scrape.text(port), 0.05)).as("platform lag samples above 50 ms after " + lastDump).isGreaterThan(before);
            assertThat(maxLagSeen[0]).as("largest platform lag of an interval, s").isGreaterThanOrEqualTo(0.05);
            String body = Scrape.text(port);
            String expectedName = gc.contains("G1") ? "G1Full" : ForkedJvm.javaFeatureVersion() >= 23 ? "ZGC Major" : "Z";
            assertThat(body).contains("jvm_gc_name=\"" + expectedName + "\"")
                    .contains("jvm_gc_action=\"end of major GC\"")
                    .contains("jvm_memory_used_after_last_gc_bytes{");
            assertThat(app.output()).doesNotContain("JFR unavailable").doesNotContain("ERROR");
        }
    }

    @org.junit.jupiter.api.Test
    void withoutJfrOneWarningAndJmxFallback() throws Exception {
        int port = Scrape.freePort();
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.RuntimeApp")
                .withAgent("prometheus.port=" + port + ",traces.exporter=none,metrics.exporter=prometheus,"
                        + "runtime.heap.growth.window.ms=6000,runtime.heap.growth.warmup.ms=2000")
                .jvmArg("-XX:-FlightRecorder")
                .jvmArg("-XX:+UseG1GC")
                .args("grow", "40")
                .start()) {
            app.awaitReadyPort();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String body = Scrape.text(port);
                assertThat(Scrape.sum(body, "jvm_gc_duration_seconds_count{", "jvm_gc_cause=\"System.gc()\""))
                        .as("forced collections").isGreaterThanOrEqualTo(3);
                assertThat(Scrape.value(body, "vigil_heap_live_growth_bytes_per_second"))
                        .as("live-set growth, bytes/s").isGreaterThan(100_000);
                assertThat(Scrape.value(body, "jvm_class_count")).isPositive();
            });
            String body = Scrape.text(port);
            assertThat(body).contains("jvm_gc_name=\"G1 Old Generation\"").doesNotContain("vigil_memory_allocated");
            assertThat(app.lines().stream().filter(l -> l.contains("JFR unavailable"))).hasSize(1);
        }
    }

    /** Platform lag samples above {@code seconds} (one of the bucket bounds). */
    static double above(String body, double seconds) {
        return Scrape.value(body, "vigil_eventloop_lag_seconds_count{source=\"platform\"}")
                - Scrape.value(body, "vigil_eventloop_lag_seconds_bucket{source=\"platform\",le=\"" + seconds + "\"}");
    }
}
