package dev.vigil.agent.exporter;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** JVM shutdown exports what is still queued, and never waits longer than shutdown.timeout.ms for it. */
class ShutdownFlushIT {
    private static void request(int port) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void queuedSpansAreExportedWhenTheJvmStops() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            int metricsPort = Scrape.freePort();
            ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                    // a schedule delay of 10 minutes: only the shutdown flush can export the span
                    .withAgent("otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=600000,"
                            + "prometheus.host=127.0.0.1,prometheus.port=" + metricsPort)
                    .start();
            request(app.awaitReadyPort());
            // the duration is recorded right after the span ended (after the response left)
            await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.text(metricsPort)
                    .contains("http_server_request_duration_seconds_count{"));
            assertThat(receiver.spans()).isEmpty();
            app.stop(); // SIGTERM
            assertThat(receiver.spans(s -> "/api/items".equals(s.stringAttribute("url.path")))).hasSize(1);
        }
    }

    @Test
    void aCollectorThatNeverAnswersDelaysShutdownByAtMostTheTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackHole.accept());
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                    .withAgent("otlp.endpoint=http://127.0.0.1:" + blackHole.getLocalPort()
                            + ",otlp.timeout.ms=60000,bsp.schedule.delay.ms=600000,shutdown.timeout.ms=1500,prometheus.port=0")
                    .start();
            request(app.awaitReadyPort());
            app.process().destroy(); // SIGTERM
            // 1.5 s for the flush plus JVM exit; a shutdown waiting on the 60 s export timeout would fail here
            assertThat(app.process().waitFor(15, TimeUnit.SECONDS)).as("JVM exited").isTrue();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
