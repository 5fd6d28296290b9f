package dev.vigil.agent.startup;

import dev.vigil.testing.ForkedJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** startup.mode=sync: premain returns only once the agent is complete, before the application's main runs. */
class StartupModeIT {
    @Test
    void syncStartFinishesBeforeMain() throws Exception {
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent("startup.mode=sync,traces.exporter=none,metrics.exporter=none,prometheus.port=0")
                .start()) {
            app.awaitReadyPort();
            List<String> lines = app.lines();
            int started = indexOf(lines, "Vigil ");
            int ready = indexOf(lines, "READY ");
            assertThat(started).as(app.output()).isNotNegative().isLessThan(ready);
        }
    }

    @Test
    void asyncStartDefersTheRuntimeMetricsPastTheApplicationsStart() throws Exception {
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent("runtime.start.delay.ms=8000,log.level=debug,traces.exporter=none,metrics.exporter=none,"
                        + "prometheus.port=0")
                .start()) {
            app.awaitReadyPort();
            app.awaitLine(l -> l.contains("runtime metrics started"), Duration.ofSeconds(30));
            List<String> lines = app.lines();
            int started = indexOf(lines, "Vigil ");
            int ready = indexOf(lines, "READY ");
            int runtime = indexOf(lines, "runtime metrics started");
            assertThat(started).as(app.output()).isNotNegative().isLessThan(runtime);
            assertThat(ready).as(app.output()).isNotNegative().isLessThan(runtime);
        }
    }

    @Test
    void syncStartStartsTheRuntimeMetricsBeforeMain() throws Exception {
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent("startup.mode=sync,log.level=debug,traces.exporter=none,metrics.exporter=none,"
                        + "prometheus.port=0")
                .start()) {
            app.awaitReadyPort();
            List<String> lines = app.lines();
            int runtime = indexOf(lines, "runtime metrics started");
            assertThat(runtime).as(app.output()).isNotNegative().isLessThan(indexOf(lines, "READY "));
        }
    }

    /**
     * The agent's start loads no {@code HttpURLConnection} class for an application that opens none: looking up
     * {@code sun.net.www.protocol.http.HttpURLConnection} at start loaded that large class everywhere, and the
     * agent then wove it. Traced once used: {@code HttpClientTracingIT}.
     */
    @Test
    void startLoadsNoHttpUrlConnectionForAnApplicationThatUsesNone() throws Exception {
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .jvmArg("-Xlog:class+load=info")
                .withAgent("startup.mode=sync,traces.exporter=none,metrics.exporter=none,prometheus.port=0")
                .start()) {
            app.awaitReadyPort();
            List<String> lines = app.lines();
            assertThat(indexOf(lines, "Vigil ")).as(app.output()).isNotNegative();
            assertThat(lines).as("classes loaded")
                    .anyMatch(l -> l.contains("dev.vigil.agent.http.HttpUrlConnectionTelemetry "))
                    .noneMatch(l -> l.contains("HttpURLConnection source:"));
        }
    }

    private static int indexOf(List<String> lines, String prefixOrPart) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefixOrPart) || lines.get(i).contains("[vigil]") && lines.get(i).contains(prefixOrPart)) {
                return i;
            }
        }
        return -1;
    }
}
