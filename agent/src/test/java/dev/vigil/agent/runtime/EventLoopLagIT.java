package dev.vigil.agent.runtime;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.Scrape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Netty, executor and request lag sources in a real JVM with the agent: a Netty event loop blocked for 700 ms
 * shows a lag of at least 400 ms in {@code vigil.eventloop.lag{source=netty}} and one blocked-loop report whose stack
 * names the blocking method; a saturated one-thread pool shows its queue wait in {@code source=executor}; a request
 * running past its threshold is reported with {@code source=request}. Run against the oldest and newest Netty
 * supported: 4.1 (the test class path's, from {@code artemis-core-client}) and 4.2 (copied to {@code it.netty42.libs}).
 */
class EventLoopLagIT {
    @ParameterizedTest(name = "Netty {0}")
    @ValueSource(strings = {"4.1", "4.2"})
    void nettyLoopExecutorAndRequestLag(String netty) throws Exception {
        int port = Scrape.freePort();
        ForkedJvm.Builder builder = ForkedJvm.builder("dev.vigil.testapps.LoopLagApp");
        if (netty.equals("4.1")) {
            builder.libraries("netty-transport", "netty-common", "netty-buffer", "netty-resolver");
        } else {
            File dir = new File(System.getProperty("it.netty42.libs", "target/it-libs/netty42"));
            File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
            assertThat(jars).as("Netty 4.2 jars in " + dir).hasSize(4);
            builder.classpath(Arrays.stream(jars).map(File::getPath).toList());
        }
        try (ForkedJvm app = builder
                .withAgent("prometheus.port=" + port + ",traces.exporter=none,metrics.exporter=prometheus,"
                        + "looplag.report.interval.ms=500,looplag.netty.interval.ms=20,looplag.blocked.threshold.ms=200,"
                        + "looplag.blocked.request.threshold.ms=500,looplag.executor.enabled=true")
                .start()) {
            app.awaitReadyPort();
            send(app, "start");
            app.awaitLine(l -> l.startsWith("NETTY " + netty), Duration.ofSeconds(30));
            String http = app.awaitLine(l -> l.startsWith("HTTP "), Duration.ofSeconds(30));
            int httpPort = Integer.parseInt(http.substring("HTTP ".length()).trim());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() ->
                    Scrape.sum(Scrape.text(port), "vigil_eventloop_lag_seconds_count{", "source=\"netty\"") > 10);
            assertThat(Scrape.text(port)).contains("group=\"nioEventLoopGroup\"").contains("thread=\"nioEventLoopGroup-");

            // a Netty loop blocked for 700 ms: a quiet loop's probe is armed 200 ms ahead here (10 × 20 ms), so the
            // armed probe runs at least 500 ms late
            send(app, "block 700");
            app.awaitLine(l -> l.equals("BLOCK-SUBMITTED"), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String body = Scrape.text(port);
                assertThat(Scrape.max(body, "vigil_eventloop_lag_max_seconds{", "source=\"netty\"")).as("largest netty lag, s")
                        .isGreaterThanOrEqualTo(0.4);
                assertThat(Scrape.sum(body, "vigil_eventloop_lag_seconds_count{", "source=\"netty\"")
                        - Scrape.sum(body, "vigil_eventloop_lag_seconds_bucket{", "source=\"netty\"", "le=\"0.2\""))
                        .as("netty lag samples above 200 ms").isPositive();
                assertThat(Scrape.sum(body, "vigil_eventloop_blocked_total{", "source=\"netty\"", "group=\"nioEventLoopGroup\""))
                        .isEqualTo(1);
            });
            String report = blockedReport(app, "Netty event loop thread 'nioEventLoopGroup-");
            assertThat(report).contains("LoopLagApp.blockEventLoop");

            // a saturated one-thread pool: the sixth task waits about 1 s in the queue
            send(app, "saturate 6 200");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(Scrape.max(Scrape.text(port), "vigil_eventloop_lag_max_seconds{", "source=\"executor\"",
                            "group=\"saturated-pool\"")).as("largest queue wait, s").isGreaterThanOrEqualTo(0.8));

            // a request running past its threshold (500 ms)
            CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/slow?ms=1500")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(slow.get().statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                    Scrape.sum(Scrape.text(port), "vigil_eventloop_blocked_total{", "source=\"request\"") == 1);
            assertThat(blockedReport(app, "request thread '")).contains("LoopLagApp.slowRequest");
            assertThat(app.output()).doesNotContain("ERROR").doesNotContain("advice error");
        }
    }

    private static void send(ForkedJvm app, String line) throws java.io.IOException {
        app.process().getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        app.process().getOutputStream().flush();
    }

    /** The warning line starting with {@code start} and the stack lines after it. */
    private static String blockedReport(ForkedJvm app, String start) {
        app.awaitLine(l -> l.contains(start), Duration.ofSeconds(10));
        StringBuilder report = new StringBuilder();
        boolean in = false;
        for (String line : app.lines()) {
            if (line.contains(start)) {
                in = true;
            } else if (in && !line.startsWith("\t")) {
                break;
            }
            if (in) {
                report.append(line).append('\n');
            }
        }
        return report.toString();
    }
}
