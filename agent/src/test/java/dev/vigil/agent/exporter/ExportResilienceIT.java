package dev.vigil.agent.exporter;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.Scrape;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bad environments: the application carries on, Vigil says so once, and counts what it lost. */
class ExportResilienceIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static int get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void unreachableCollectorDropsAndCountsSpansWithOneWarning() throws Exception {
        int closedPort = Scrape.freePort();
        int metricsPort = Scrape.freePort();
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent("otlp.endpoint=http://127.0.0.1:" + closedPort + ",bsp.schedule.delay.ms=50,"
                        + "bsp.max.export.batch.size=5,prometheus.port=" + metricsPort)
                .start()) {
            int port = app.awaitReadyPort();
            for (int i = 0; i < 60; i++) {
                assertThat(get(port, "/api/items")).isEqualTo(200);
            }
            // the exporter retries each batch with back-off (about 8 s) before giving it up
            await().atMost(Duration.ofSeconds(40)).until(
                    () -> Scrape.value(Scrape.text(metricsPort), "vigil_agent_export_failures_total") >= 2);
            String metrics = Scrape.text(metricsPort);
            assertThat(Scrape.value(metrics, "vigil_agent_spans_export_failed_total")).isGreaterThanOrEqualTo(2);
            assertThat(Scrape.value(metrics, "vigil_agent_spans_exported_total")).isZero();
            long warnings = app.lines().stream().filter(l -> l.contains("span export to") && l.contains("failed")).count();
            assertThat(warnings).as(app.output()).isEqualTo(1);
            assertThat(app.output()).doesNotContain("SEVERE").doesNotContain("Exception in thread");
        }
    }

    @Test
    void aCollectorThatNeverAnswersDoesNotSlowTheApplication() throws Exception {
        int metricsPort = Scrape.freePort();
        List<Socket> held = new ArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackHole.accept()); // never reads, never answers
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                    .withAgent("otlp.endpoint=http://127.0.0.1:" + blackHole.getLocalPort() + ",otlp.timeout.ms=60000,"
                            + "bsp.schedule.delay.ms=20,bsp.max.queue.size=10,bsp.max.export.batch.size=5,"
                            + "prometheus.port=" + metricsPort)
                    .start()) {
                int port = app.awaitReadyPort();
                // Each request is bounded by the client's 5 s timeout, far below the 60 s export timeout: an
                // application thread waiting on the exporter would fail here.
                for (int i = 0; i < 200; i++) {
                    assertThat(get(port, "/api/items")).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> Scrape.value(Scrape.text(metricsPort), "vigil_agent_spans_dropped_total") >= 150);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aTakenMetricsPortIsReportedOnceAndTracingCarriesOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                    .withAgent("prometheus.port=" + taken.getLocalPort() + ",prometheus.host=0.0.0.0,traces.exporter=none")
                    .start()) {
                int port = app.awaitReadyPort();
                assertThat(get(port, "/api/items")).isEqualTo(200);
                List<String> warnings = app.lines().stream().filter(l -> l.contains("Prometheus endpoint not started")).toList();
                assertThat(warnings).hasSize(1);
                assertThat(warnings.get(0)).contains(":" + taken.getLocalPort());
                assertThat(app.output()).contains("Vigil ").contains("started");
            }
        }
    }

    @Test
    void metricsEndpointServesPrometheusTextAndOpenMetrics() throws Exception {
        int metricsPort = Scrape.freePort();
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent("traces.exporter=none,prometheus.host=127.0.0.1,prometheus.port=" + metricsPort)
                .start()) {
            int port = app.awaitReadyPort();
            for (int i = 0; i < 3; i++) {
                get(port, "/api/items/42");
            }
            // the server records the duration after the response has left, so the scrape may come first
            String count = "http_server_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
                    + "http_response_status_code=\"200\",http_route=\"/api/items\",url_scheme=\"http\"}";
            await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.value(Scrape.text(metricsPort), count) == 3);
            HttpResponse<String> text = Scrape.get(metricsPort, null);
            assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(text.body()).contains("http_server_request_duration_seconds_bucket{")
                    .contains("le=\"0.005\"").contains("le=\"10.0\"")
                    .contains("# TYPE vigil_agent_advice_errors_total counter")
                    .contains("vigil_agent_spans_dropped_total");
            HttpResponse<String> om = Scrape.get(metricsPort, "application/openmetrics-text; version=1.0.0");
            assertThat(om.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
            assertThat(om.body()).endsWith("# EOF\n");
            // a latency bucket links to a trace that took that long
            assertThat(om.body().lines().filter(l -> l.startsWith("http_server_request_duration_seconds_bucket{"))
                    .filter(l -> l.matches(".* # \\{.*trace_id=\"[0-9a-f]{32}\".*")).count()).isPositive();
        }
    }
}
