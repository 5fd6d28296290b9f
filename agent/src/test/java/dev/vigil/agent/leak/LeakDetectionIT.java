package dev.vigil.agent.leak;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener and timer leak detection in a forked JVM with the agent: {@code LeakApp} leaks property-change
 * listeners, timer tasks and executor tasks at three sites and keeps a fourth balanced; windows are 500 ms.
 */
class LeakDetectionIT {
    static final String APP = "dev.vigil.testapps.leak.LeakApp.";
    static ForkedJvm app;
    static int appPort;
    static int metricsPort;

    @BeforeAll
    static void start() throws Exception {
        metricsPort = Scrape.freePort();
        app = ForkedJvm.builder("dev.vigil.testapps.leak.LeakApp")
                .withAgent("traces.exporter=none,metrics.exporter=none,prometheus.host=127.0.0.1,prometheus.port="
                        + metricsPort + ",leak.window.ms=500,leak.growth.windows=3,leak.listener.min=20,leak.timer.min=5")
                .start();
        appPort = app.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        ForkedJvm.closeAll(app);
    }

    static double sample(String name, String kind, String site) throws Exception {
        return Scrape.value(Scrape.text(metricsPort), name + "{kind=\"" + kind + "\",site=\"" + APP + site + "\"}");
    }

    @Test
    void leakingSitesAreSuspectedWithTheirStacksAndClearWhenReleased() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(sample("vigil_leak_suspected", "listener", "subscribe")).isEqualTo(1);
            assertThat(sample("vigil_leak_suspected", "timer", "startPolling")).isEqualTo(1);
            assertThat(sample("vigil_leak_suspected", "timer", "startHeartbeat")).isEqualTo(1);
        });
        assertThat(sample("vigil_leak_retained", "listener", "subscribe")).isGreaterThanOrEqualTo(20);
        assertThat(sample("vigil_leak_retained", "listener", "balanced")).as("added and removed").isZero();
        assertThat(sample("vigil_leak_suspected", "listener", "balanced")).as("never suspected").isNaN();

        String leaks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/vigil/leaks")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(leaks).contains("\"kind\":\"listener\",\"site\":\"" + APP + "subscribe\"")
                .contains("java.beans.PropertyChangeSupport.addPropertyChangeListener")
                .contains("\"kind\":\"timer\",\"site\":\"" + APP + "startHeartbeat\"");
        app.awaitLine(l -> l.contains("leak suspected (listener) at " + APP + "subscribe"), Duration.ofSeconds(5));
        app.awaitLine(l -> l.contains("at " + APP + "subscribe("), Duration.ofSeconds(5));

        HttpResponse<Void> release = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + appPort + "/release")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(release.statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sample("vigil_leak_retained", "listener", "subscribe")).isZero();
            assertThat(sample("vigil_leak_retained", "timer", "startPolling")).isZero();
            assertThat(sample("vigil_leak_retained", "timer", "startHeartbeat")).isZero();
            assertThat(sample("vigil_leak_suspected", "listener", "subscribe")).isZero();
            assertThat(sample("vigil_leak_suspected", "timer", "startHeartbeat")).isZero();
        });
        app.awaitLine(l -> l.contains("leak cleared (listener) at " + APP + "subscribe"), Duration.ofSeconds(5));
    }
}
