package dev.vigil.sample;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import dev.vigil.testing.Scrape;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shop on its embedded defaults (H2 and an ActiveMQ Artemis broker inside the orders JVM): the trace across
 * the three services, and the misbehaviour switches moving their metrics.
 */
class ShopEndToEndIT extends ShopTraceContract {
    @Override
    String infrastructure(int h2Port, int brokerPort) {
        return "h2.port=" + h2Port + ",broker.port=" + brokerPort;
    }

    @Override
    String agentOptions() {
        // the live-set trend from the first collection on, over a short window, for the grow switch
        return ",runtime.heap.growth.warmup.ms=0,runtime.heap.growth.window.ms=10000"
                // leak verdicts over one-second windows, with small minimums, for the listener and timer switches
                + ",leak.window.ms=1000,leak.growth.windows=3,leak.listener.min=50,leak.timer.min=10"
                // a request thread busy for more than 400 ms is reported as blocked, for the block switch
                + ",looplag.blocked.request.threshold.ms=400";
    }

    @Override
    String databaseSystem() {
        return "h2database";
    }

    @Override
    String messagingSystem() {
        return "jms";
    }

    @Test
    void blockingARequestThreadShowsInTheServerDurationHistogram() throws Exception {
        assertThat(get(ordersPort, "/misbehave/block?ms=600").statusCode()).isEqualTo(200);
        String slowBucket = "http_server_request_duration_seconds_bucket{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",http_route=\"/misbehave/block\",url_scheme=\"http\",le=\"0.5\"}";
        String total = "http_server_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",http_route=\"/misbehave/block\",url_scheme=\"http\"}";
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.value(Scrape.text(ordersMetrics), total) == 1);
        assertThat(Scrape.value(Scrape.text(ordersMetrics), slowBucket)).as("not within 0.5 s").isZero();
    }

    @Test
    void blockingARequestThreadPastTheThresholdIsReportedWithItsStack() throws Exception {
        assertThat(get(gatewayPort, "/misbehave/block?ms=1500").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Scrape.sum(Scrape.text(gatewayMetrics), "vigil_eventloop_blocked_total{", "source=\"request\"") >= 1);
        gateway.awaitLine(l -> l.contains("dev.vigil.sample.Misbehaviour.sleep("), Duration.ofSeconds(5));
    }

    @Test
    void theFailSwitchShowsAsServerErrors() throws Exception {
        assertThat(get(gatewayPort, "/misbehave/fail?ratio=1").statusCode()).isEqualTo(200);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(get(gatewayPort, "/checkout").statusCode()).isEqualTo(500);
            }
            String errors = "http_server_request_duration_seconds_count{error_type=\"500\",http_request_method=\"GET\","
                    + "http_response_status_code=\"500\",http_route=\"/checkout\",url_scheme=\"http\"}";
            await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.value(Scrape.text(gatewayMetrics), errors) == 3);
        } finally {
            get(gatewayPort, "/misbehave/fail?ratio=0");
        }
    }

    @Test
    void theSlowSqlSwitchShowsAsASlowSpanAndInTheDatabaseHistogram() throws Exception {
        assertThat(get(ordersPort, "/misbehave/slow-sql?ms=700").statusCode()).isEqualTo(200);
        ReceivedSpan call = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(
                s -> "orders".equals(s.resourceAttribute("service.name")) && "CALL".equals(s.stringAttribute("db.operation.name"))),
                l -> !l.isEmpty()).get(0);
        assertThat(call.span().getEndTimeUnixNano() - call.span().getStartTimeUnixNano())
                .as("span duration in ns").isGreaterThanOrEqualTo(700_000_000L);
        assertThat(call.stringAttribute("db.query.text")).isEqualTo("CALL SLEEP_MS(?)");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String body = Scrape.text(ordersMetrics);
            assertThat(callSample(body, "count", null)).as(body).isEqualTo(1);
            assertThat(callSample(body, "bucket", "0.5")).as("calls within 0.5 s").isZero();
            assertThat(callSample(body, "bucket", "1.0")).as("calls within 1 s").isEqualTo(1);
        });
    }

    /** A sample of the H2 {@code CALL} series of {@code db.client.operation.duration}, whatever its other labels. */
    private static double callSample(String body, String suffix, String le) {
        return Scrape.sum(body, "db_client_operation_duration_seconds_" + suffix + "{", "db_operation_name=\"CALL\"",
                "db_system_name=\"h2database\"", le == null ? "" : "le=\"" + le + "\"");
    }

    @Test
    void theGrowSwitchShowsAsLiveSetGrowth() throws Exception {
        String jcmd = Path.of(ForkedJvm.javaExecutable()).resolveSibling("jcmd").toString();
        // grow the retained set by 4 MiB per step and collect after each, until the post-GC floor's slope shows it
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(get(ordersPort, "/misbehave/grow?mb=4").statusCode()).isEqualTo(200);
            Process gc = new ProcessBuilder(jcmd, Long.toString(orders.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor();
            return Scrape.value(Scrape.text(ordersMetrics), "vigil_heap_live_growth_bytes_per_second") > 1_000_000;
        });
    }

    @Test
    void theListenersSwitchIsSuspectedAsAListenerLeakAtItsSite() throws Exception {
        String suspected = "vigil_leak_suspected{kind=\"listener\",site=\"dev.vigil.sample.Misbehaviour.addListeners\"}";
        // keep leaking until the verdict (three growing windows) is in
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(get(ordersPort, "/misbehave/listeners?count=20").statusCode()).isEqualTo(200);
            return Scrape.value(Scrape.text(ordersMetrics), suspected) == 1;
        });
        orders.awaitLine(l -> l.contains("leak suspected (listener) at dev.vigil.sample.Misbehaviour.addListeners"),
                Duration.ofSeconds(5));
    }

    @Test
    void theTimersSwitchIsSuspectedAsATimerLeakAtItsSite() throws Exception {
        String suspected = "vigil_leak_suspected{kind=\"timer\",site=\"dev.vigil.sample.Misbehaviour.startTimers\"}";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(get(gatewayPort, "/misbehave/timers?count=1").statusCode()).isEqualTo(200);
            return Scrape.value(Scrape.text(gatewayMetrics), suspected) == 1;
        });
        assertThat(Scrape.value(Scrape.text(gatewayMetrics),
                "vigil_leak_retained{kind=\"timer\",site=\"dev.vigil.sample.Misbehaviour.startTimers\"}"))
                .as("a Timer task and an executor task per call").isGreaterThanOrEqualTo(10);
    }
}
